/**
 * Run-time multiply-add counter: every op adds the MACs of the products it actually runs
 * (from the tensor shapes), so tests can compare `countFlops` with what the model computes.
 * Off unless a caller wraps a forward in `withMacCounter`.
 */
let active: { macs: number } | null = null;

export function addMacs(n: number): void {
  if (active) active.macs += n;
}

/** Runs `f` with counting on and returns its result and the counted multiply-adds. */
export function withMacCounter<T>(f: () => T): { result: T; macs: number } {
  const prev = active;
  const counter = { macs: 0 };
  active = counter;
  try {
    return { result: f(), macs: counter.macs };
  } finally {
    active = prev;
  }
}
