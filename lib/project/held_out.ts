/**
 * The held-out part of a training split (lib/data `heldOutSplit`): the teacher selects its
 * checkpoint on it and every search validates on it, so dev stays untouched until the final
 * tables. One definition, used by `deno task teacher`, `kd-baselines` and `rosearch`.
 */
export interface HeldOutSettings {
  size: number;
  seed: number;
}

/** SST-2: 2,000 rows, seed 13; MRPC (3,668 training pairs): 400, seed 13. */
export function heldOutOf(dataset: string): HeldOutSettings {
  return { size: dataset === "mrpc" ? 400 : 2000, seed: 13 };
}
