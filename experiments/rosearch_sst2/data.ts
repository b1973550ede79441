/**
 * The experiment's fixed example sets, rebuilt identically in the main process and in every
 * worker from `EvalSettings` (deterministic: seeded splits and subsets of lib/data, no tfjs):
 * - `heldOut`: `heldOutSplit(train, { size, seed })` — for SST-2 size 2000, seed 13, the split
 *   the teacher used for model selection;
 * - `proxy`: a stratified sample of the rest of train (candidate training);
 * - `validation`: a stratified sample of the held-out part (candidate accuracy);
 * - `attackSet`: the first `attack.examples` of `validation` (candidate robustness);
 * - `dev`: the official dev split (final stage only).
 */
import { heldOutSplit, loadSplit, sampleSubset } from "../../lib/data/mod.ts";
import type { Example } from "../../lib/data/mod.ts";
import type { EvalSettings } from "./config.ts";

export interface ExperimentData {
  trainRest: Example[];
  heldOut: Example[];
  proxy: Example[];
  validation: Example[];
  attackSet: Example[];
}

const memo = new Map<string, Promise<ExperimentData>>();

/** The example sets of `settings` (memoised per settings within a process or worker). */
export function experimentData(settings: EvalSettings): Promise<ExperimentData> {
  const key = JSON.stringify([
    settings.dataset,
    settings.heldOut,
    settings.proxy,
    settings.validation,
    settings.attack.examples,
  ]);
  let p = memo.get(key);
  if (!p) {
    p = build(settings);
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return p;
}

async function build(s: EvalSettings): Promise<ExperimentData> {
  const train = await loadSplit(s.dataset, "train");
  const split = heldOutSplit(train, { size: s.heldOut.size, seed: s.heldOut.seed });
  const need = (what: string, n: number, have: number) => {
    if (n > have) {
      throw new RangeError(
        `${s.dataset}: ${what} size ${n} exceeds the ${have} examples available`,
      );
    }
  };
  need("proxy", s.proxy.size, split.train.length);
  need("validation", s.validation.size, split.validation.length);
  need("attack", s.attack.examples, s.validation.size);
  const proxy = sampleSubset(split.train, s.proxy.size, { seed: s.proxy.seed });
  const validation = sampleSubset(split.validation, s.validation.size, {
    seed: s.validation.seed,
  });
  return {
    trainRest: split.train,
    heldOut: split.validation,
    proxy,
    validation,
    attackSet: validation.slice(0, s.attack.examples),
  };
}

/** Column names of the attack inputs: one column, or a pair. */
export function columnLabels(dataset: string): string[] {
  return dataset === "mrpc" ? ["sentence1", "sentence2"] : ["text"];
}

/** Examples as attack inputs (text, optional textB, label). */
export function attackInputs(examples: readonly Example[]) {
  return examples.map((e) =>
    e.textB === undefined
      ? { text: e.text, label: e.label }
      : { text: e.text, textB: e.textB, label: e.label }
  );
}
