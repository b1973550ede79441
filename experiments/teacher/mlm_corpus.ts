/**
 * The unlabelled text the default teacher's masked LM is pretrained on: every bundled sentence
 * except SST-2 dev (kept untouched for final tables): SST-2 train, MR, MRPC (both sentences of
 * every pair, all three files), and the TextFooler samples (single-sentence sets and both NLI
 * columns). Duplicates are dropped (SST-2 train holds many sub-phrases of its sentences: only
 * phrases of at least `minWords` words are kept).
 *
 * Caveat, stated where the teacher's numbers are reported: MR and SST-2 both come from Rotten
 * Tomatoes snippets, so some MR sentences equal SST-2 dev sentences. The MLM never sees a label,
 * but this is unsupervised exposure to dev text (transductive), not a label leak.
 */
import { loadMrAll, loadMrpc, loadMrpcUnlabelled, loadSplit } from "../../lib/data/mod.ts";
import type { Example } from "../../lib/data/mod.ts";

const TEXTFOOLER = [
  "textfooler/mr",
  "textfooler/imdb",
  "textfooler/yelp",
  "textfooler/ag",
  "textfooler/snli",
  "textfooler/mnli_matched",
  "textfooler/mnli_mismatched",
];

export async function loadMlmCorpus(options: { minWords?: number } = {}): Promise<string[]> {
  const minWords = options.minWords ?? 4;
  const texts = new Set<string>();
  const add = (t: string | undefined) => {
    if (!t) return;
    const s = t.trim();
    if (s.split(/\s+/).length >= minWords) texts.add(s);
  };
  const addAll = (xs: Example[]) => xs.forEach((e) => (add(e.text), add(e.textB)));
  addAll(await loadSplit("sst2", "train"));
  addAll(await loadMrAll());
  addAll(await loadMrpc("train"));
  addAll(await loadMrpc("dev"));
  addAll(await loadMrpcUnlabelled());
  for (const name of TEXTFOOLER) {
    addAll(await loadSplit(name, "test"));
  }
  return [...texts];
}
