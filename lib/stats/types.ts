/** Types shared by several lib/stats functions. */

/** A two-sided interval [lower, upper]. */
export interface Interval {
  lower: number;
  upper: number;
}

/** Per-example binary outcomes (was example i classified correctly?): booleans or 0/1. */
export type BinaryOutcomes = readonly (boolean | number)[];
