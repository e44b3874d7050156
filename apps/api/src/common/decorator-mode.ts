// Detects how this module was compiled: legacy (experimentalDecorators) or TC39 decorators.
// A legacy class decorator gets one argument (the class), a TC39 one gets two.

let mode: 'legacy' | 'standard' = 'standard';

function probe(...args: unknown[]): void {
  mode = args.length === 1 ? 'legacy' : 'standard';
}

@probe
class DecoratorProbe {}
void DecoratorProbe;

/** The decorator semantics the current transpiler applies. */
export const decoratorMode: 'legacy' | 'standard' = mode;
