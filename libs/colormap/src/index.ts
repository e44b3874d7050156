/** Public surface of @convscope/colormap (filled in by the code-health redesign). */
export {};
