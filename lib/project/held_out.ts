/**
 * The held-out part of a training split (lib/data `heldOutSplit`): the teacher selects its
 * checkpoint on it and every search validates on it, so dev stays untouched until the final
 * tables. One definition, used by `deno task teacher`, `kd-baselines` and `rosearch`.
 */
export interface HeldOutSettings {
  size: number;
  seed: number;
}

/**
 * SST-2: 2,000 rows, seed 13; MRPC (3,668 training pairs): 400; TREC (4,907 training
 * questions): 400; SUBJ (8,000 training sentences): 800; all seed 13.
 */
export function heldOutOf(dataset: string): HeldOutSettings {
  const size: Record<string, number> = { mrpc: 400, trec: 400, subj: 800 };
  return { size: size[dataset] ?? 2000, seed: 13 };
}
