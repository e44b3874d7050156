/** Public surface of @convscope/schemas (filled in by the code-health redesign). */
export {};
