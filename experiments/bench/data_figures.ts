/**
 * Re-measures the figures reported for lib/data:
 * `deno run --allow-read=. experiments/bench/data_figures.ts`.
 * Rows per set, SST-2 encoding speed, distinct token ids used by all bundled text, and padding
 * fractions for SST-2 train at batch 32 (maxLength 64).
 */
import {
  bucketBatches,
  buildVocabMap,
  createBertTokenizer,
  DATASET_NAMES,
  encodeExamples,
  type Example,
  loadDataset,
  loadMrpcUnlabelled,
  paddingFraction,
  plainBatches,
} from "../../lib/data/mod.ts";

const tok = await createBertTokenizer();
const texts: string[] = [];
const push = (ex: readonly Example[]) =>
  ex.forEach((e) => texts.push(e.text, ...(e.textB ? [e.textB] : [])));
for (const name of DATASET_NAMES) {
  const d = await loadDataset(name);
  const rows = Object.entries(d.splits).map(([s, ex]) => `${s} ${ex!.length}`).join(", ");
  console.log(`${name}: ${rows}`);
  for (const ex of Object.values(d.splits)) push(ex!);
}
const mrpcTest = await loadMrpcUnlabelled();
console.log(`mrpc test.tsv (unlabelled): ${mrpcTest.length}`);
push(mrpcTest);

const train = (await loadDataset("sst2")).splits.train!;
const t0 = performance.now();
encodeExamples(train, tok, { maxLength: 64 });
const ms = performance.now() - t0;
console.log(
  `SST-2 train encode (maxLength 64, cold caches): ${ms.toFixed(0)} ms, ${
    (train.length / ms * 1000).toFixed(0)
  } rows/s`,
);

const idLists = texts.map((t) => tok.tokenizeIds(t));
const tokens = idLists.reduce((a, l) => a + l.length, 0);
const map = buildVocabMap(idLists, { keepSpecial: false });
const withSpecial = buildVocabMap(idLists);
console.log(
  `all bundled text: ${texts.length} texts, ${tokens} WordPiece tokens, ${
    map.size - (idLists.some((l) => l.includes(100)) ? 0 : 1)
  } distinct ids in text; vocab map with specials: ${withSpecial.size} of 30522`,
);
const unk = idLists.reduce((a, l) => a + l.filter((x) => x === 100).length, 0);
console.log(`[UNK] tokens in bundled text: ${unk}`);

const plain = plainBatches(train, tok, { batchSize: 32, maxLength: 64, seed: 0 });
const bucketed = bucketBatches(train, tok, { batchSize: 32, maxLength: 64, seed: 0 });
const sorted = bucketBatches(train, tok, {
  batchSize: 32,
  maxLength: 64,
  seed: 0,
  poolSize: Infinity,
});
console.log(
  `SST-2 train padding, batch 32, maxLength 64: plain ${
    paddingFraction(plain).toFixed(4)
  }, bucketed (pool 3200) ${paddingFraction(bucketed).toFixed(4)}, fully sorted ${
    paddingFraction(sorted).toFixed(4)
  }`,
);
const t1 = performance.now();
bucketBatches(train, tok, { batchSize: 32, maxLength: 64, seed: 1 });
console.log(`bucketBatches over cached encodings: ${(performance.now() - t1).toFixed(0)} ms`);
