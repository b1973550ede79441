/**
 * A search's fixed example sets, rebuilt identically in the main process and in every worker
 * from `EvalSettings` (deterministic: seeded splits and subsets of lib/data, no tfjs):
 * - `heldOut`: `heldOutSplit(train, { size, seed })` — for SST-2 size 2000, seed 13, the split
 *   the teacher used for model selection;
 * - `proxy`: a stratified sample of the rest of train (candidate training);
 * - `validation`: a stratified sample of the held-out part (candidate accuracy);
 * - `attackSet`: the first `attack.examples` (with racing: `attack.racing.cap`) of `validation`,
 *   one ordered list for every candidate (candidate robustness);
 * - `finalTrainSet`: the final stage's training set (a seeded sample of train minus held-out).
 * The official dev split is used by the final stage only.
 */
import {
  type Example,
  heldOutSplit,
  loadSplit,
  sampleSubset,
  sentenceHeldOut,
} from "../data/mod.ts";
import type { EvalSettings } from "./settings.ts";

export interface SearchData {
  trainRest: Example[];
  heldOut: Example[];
  proxy: Example[];
  validation: Example[];
  attackSet: Example[];
}

const memo = new Map<string, Promise<SearchData>>();

/** The example sets of `settings` (memoised per settings within a process or worker). */
export function searchData(settings: EvalSettings): Promise<SearchData> {
  const key = JSON.stringify([
    settings.dataset,
    settings.heldOut,
    settings.proxy,
    settings.validation,
    settings.attack.examples,
    settings.attack.racing?.cap ?? null,
  ]);
  let p = memo.get(key);
  if (!p) {
    p = build(settings);
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return p;
}

async function build(s: EvalSettings): Promise<SearchData> {
  const train = await loadSplit(s.dataset, "train");
  const h = s.heldOut;
  const split = h.sentences
    ? sentenceHeldOut(train, { size: h.size, seed: h.seed, minWords: h.sentences.minWords })
    : heldOutSplit(train, { size: h.size, seed: h.seed });
  const need = (what: string, n: number, have: number) => {
    if (n > have) {
      throw new RangeError(
        `${s.dataset}: ${what} size ${n} exceeds the ${have} examples available`,
      );
    }
  };
  need("proxy", s.proxy.size, split.train.length);
  need("validation", s.validation.size, split.validation.length);
  const attacked = s.attack.racing
    ? Math.max(s.attack.examples, s.attack.racing.cap)
    : s.attack.examples;
  need("attack", attacked, s.validation.size);
  const proxy = sampleSubset(split.train, s.proxy.size, { seed: s.proxy.seed });
  const validation = sampleSubset(split.validation, s.validation.size, {
    seed: s.validation.seed,
  });
  return {
    trainRest: split.train,
    heldOut: split.validation,
    proxy,
    validation,
    attackSet: validation.slice(0, attacked),
  };
}

/** The final training set: `size` examples of train minus held-out (0 = all of them). */
export async function finalTrainSet(
  settings: EvalSettings,
  size: number,
  seed: number,
): Promise<Example[]> {
  const { trainRest } = await searchData(settings);
  if (size <= 0 || size >= trainRest.length) return trainRest;
  return sampleSubset(trainRest, size, { seed });
}
