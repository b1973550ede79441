/**
 * L2A's data-scarce setting (issue 18): SST-2 as the label-rich source, MR as the target.
 * - MR: our documented split (lib/data mr.ts) with TextFooler's 1,000 MR attack sentences removed
 *   from every split (`excludeAttackSet`), so students can later be attacked on them.
 * - Target training data: a seeded, label-stratified sample of `size` MR train sentences (each
 *   size drawn from the largest sample, so 100 and 500 are subsets of 1,000), after dropping the
 *   few train sentences that equal or share a 6-word run with an MR test or attack sentence.
 * - Target dev (the selector's reward, the teacher's checkpoint choice): a seeded stratified
 *   `devSize` (default 400; a generous dev set for a data-scarce domain: ours) of the MR dev
 *   sentences that neither equal nor share a 6-word run with an SST-2 training row (about 40% of
 *   MR dev): on the rest the SST-2 teacher was trained with labels, which would favour it (and
 *   imitation of it) in every choice made on dev.
 * - Test: all of the MR test split, and its "unseen" part: the sentences that neither equal
 *   nor share a run of 6 words with any SST-2 training row (lib/data overlap.ts). SST-2 is cut
 *   from the same reviews, so the SST-2 teacher was trained on about half of MR test with labels;
 *   the unseen part is the honest measure of the teacher and of the student-beats-teacher claim.
 * - Source pool: SST-2 training rows that are complete sentences of at least 8 words (no
 *   sub-phrases), minus every one that equals or shares a 6-word run with an MR dev or test
 *   sentence or a TextFooler MR sentence; a seeded sample of `sourceSize`.
 * `leakCheck` re-checks a finished pool against MR test (and the attack set): the test of
 * acceptance and a guard each pool task runs before writing (after dropping the rare rewrite
 * whose new words complete a 6-word run of a test sentence: counted as `droppedOverlap`).
 */
import {
  completeSentences,
  type Example,
  loadMrSplits,
  loadSst2,
  loadTextFooler,
  OverlapIndex,
  sampleSubset,
} from "../data/mod.ts";

export const L2A_SIZES = [100, 500, 1000] as const;

export interface L2aData {
  /** Gold target examples of each size (largest first sampled, smaller ones inside it). */
  target: (size: number) => Example[];
  dev: Example[];
  test: Example[];
  /** Per test example: true when SST-2 train holds nothing of it. */
  unseen: boolean[];
  /** Source sentences eligible for the pool (before sampling). */
  sourceEligible: Example[];
  stats: Record<string, number>;
}

export interface L2aDataOptions {
  seed: number;
  devSize?: number;
  maxTargetSize?: number;
}

let cached: { key: string; data: Promise<L2aData> } | null = null;

export function l2aData(o: L2aDataOptions): Promise<L2aData> {
  const key = JSON.stringify(o);
  if (cached?.key !== key) cached = { key, data: build(o) };
  return cached.data;
}

async function build(o: L2aDataOptions): Promise<L2aData> {
  const mr = await loadMrSplits({ excludeAttackSet: true });
  const largest = o.maxTargetSize ?? Math.max(...L2A_SIZES);
  const attack = await loadTextFooler("mr");
  const evalIndex = new OverlapIndex([...mr.dev, ...mr.test, ...attack].map((e) => e.text));
  const testIndex = new OverlapIndex([...mr.test, ...attack].map((e) => e.text));
  // MR holds a few near-duplicates across our split: none of them may train
  const train = mr.train.filter((e) => !testIndex.overlaps(e.text));
  const pool = sampleSubset(train, largest, { seed: o.seed });
  const sst = await loadSst2("train");
  const sstIndex = new OverlapIndex(sst.map((e) => e.text));
  // the target dev set must not be inflated by what the SST-2 teacher saw with labels
  const devUnseen = mr.dev.filter((e) => !sstIndex.overlaps(e.text));
  const dev = sampleSubset(devUnseen, Math.min(o.devSize ?? 400, devUnseen.length), {
    seed: o.seed + 1,
  });
  const unseen = mr.test.map((e) => !sstIndex.overlaps(e.text));
  const complete = completeSentences(sst, { minWords: 8 });
  const sourceEligible = complete.filter((e) => !evalIndex.overlaps(e.text));
  return {
    target: (size) => {
      if (!Number.isInteger(size) || size < 2 || size > largest) {
        throw new RangeError(`L2A: target size must be an integer in [2, ${largest}], got ${size}`);
      }
      return size === largest ? pool : sampleSubset(pool, size, { seed: o.seed + size });
    },
    dev,
    test: mr.test,
    unseen,
    sourceEligible,
    stats: {
      mrTrain: mr.train.length,
      mrTrainOverlappingTest: mr.train.length - train.length,
      mrDev: mr.dev.length,
      mrDevUnseen: devUnseen.length,
      targetDev: dev.length,
      mrTest: mr.test.length,
      mrTestUnseen: unseen.filter(Boolean).length,
      sst2Rows: sst.length,
      sst2CompleteSentences: complete.length,
      sourceEligible: sourceEligible.length,
      sourceRemovedForOverlap: complete.length - sourceEligible.length,
    },
  };
}

/**
 * Throws if any text of `pool` equals or shares a 6-word run with an MR test sentence or a
 * TextFooler MR sentence (names the first offender and where it came from).
 */
let testIndex: Promise<OverlapIndex> | null = null;

/** MR test (our split, attack set included) and TextFooler's MR sentences, indexed once. */
export function mrTestIndex(): Promise<OverlapIndex> {
  testIndex ??= (async () => {
    const mr = await loadMrSplits();
    const attack = await loadTextFooler("mr");
    return new OverlapIndex([...mr.test, ...attack].map((e) => e.text));
  })();
  return testIndex;
}

export async function leakCheck(
  pool: readonly { text: string; source?: string }[],
  what: string,
): Promise<void> {
  const index = await mrTestIndex();
  const bad = pool.find((e) => index.overlaps(e.text));
  if (bad) {
    throw new Error(
      `L2A: the ${what} pool holds an MR test or attack sentence (or a 6-word run of one): ` +
        `"${bad.text}"${bad.source ? ` (from ${bad.source})` : ""}`,
    );
  }
}
