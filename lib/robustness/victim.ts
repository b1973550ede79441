import type { TextInput } from "./attacked_text.ts";

/**
 * What an attack queries: class probabilities for a batch of inputs (TextAttack's
 * `ModelWrapper`). One row per input, `numLabels` entries each. The attack code never knows
 * how the model was trained or which library runs it.
 */
export interface Victim {
  readonly numLabels: number;
  predict(inputs: readonly TextInput[]): Promise<number[][]>;
  /** Model rows actually computed (cache misses), if the victim counts them. */
  readonly queries?: number;
  /** Rows served from the victim's cache, if it has one. */
  readonly cacheHits?: number;
}
