import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { keepProbabilities, trainSkipGram, unigramTable } from "./skipgram.ts";
import { buildVocabulary, encodeCorpus, type Vocabulary } from "./vocabulary.ts";
import { centreAndNormalise } from "./postprocess.ts";

/** 4 topics of 5 words; each sentence mostly words of one topic plus shared filler words. */
function topicCorpus(seed: number): { sequences: string[][]; topics: string[][] } {
  const prng = Prng.fromSeed(seed);
  const topics = Array.from(
    { length: 4 },
    (_, t) => Array.from({ length: 5 }, (_, i) => `t${t}w${i}`),
  );
  const filler = ["the", "a", "of", "and", "is"];
  const sequences: string[][] = [];
  for (let s = 0; s < 600; s++) {
    const topic = topics[prng.int(4)];
    sequences.push(
      Array.from({ length: 10 }, () => prng.next() < 0.7 ? prng.pick(topic) : prng.pick(filler)),
    );
  }
  return { sequences, topics };
}

function cos(m: Float32Array, dim: number, a: number, b: number): number {
  let d = 0, na = 0, nb = 0;
  for (let j = 0; j < dim; j++) {
    d += m[a * dim + j] * m[b * dim + j];
    na += m[a * dim + j] ** 2;
    nb += m[b * dim + j] ** 2;
  }
  return d / Math.sqrt(na * nb);
}

function withinAndAcross(m: Float32Array, dim: number, vocab: Vocabulary, topics: string[][]) {
  const within: number[] = [], across: number[] = [];
  const id = (w: string) => vocab.index.get(w)!;
  for (let t = 0; t < topics.length; t++) {
    for (let u = 0; u < topics.length; u++) {
      for (const a of topics[t]) {
        for (const b of topics[u]) {
          if (a >= b) continue;
          (t === u ? within : across).push(cos(m, dim, id(a), id(b)));
        }
      }
    }
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return { within: mean(within), across: mean(across) };
}

const OPTIONS = { dim: 16, window: 3, negative: 5, epochs: 5, sample: 0, tableSize: 100_000 };

Deno.test("trainSkipGram puts co-occurring words closer than words of other topics", async () => {
  const { sequences, topics } = topicCorpus(3);
  const vocab = buildVocabulary(sequences, { minCount: 1 });
  const corpus = encodeCorpus(sequences, vocab);
  const r = await trainSkipGram(corpus, vocab, { ...OPTIONS, seed: 11 });
  assert.equal(r.vectors.length, vocab.words.length * 16);
  assert.ok(r.pairs > 0);
  const raw = withinAndAcross(r.vectors, 16, vocab, topics);
  const centred = withinAndAcross(centreAndNormalise(r.vectors, 16), 16, vocab, topics);
  assert.ok(raw.within > raw.across + 0.3, JSON.stringify(raw));
  assert.ok(centred.within > 0.5 && centred.across < 0, JSON.stringify(centred));
});

Deno.test("trainSkipGram is a function of its seed with one worker", async () => {
  const { sequences } = topicCorpus(4);
  const vocab = buildVocabulary(sequences, { minCount: 1 });
  const corpus = encodeCorpus(sequences, vocab);
  const opts = { ...OPTIONS, epochs: 1 };
  const a = await trainSkipGram(corpus, vocab, { ...opts, seed: 5 });
  const b = await trainSkipGram(corpus, vocab, { ...opts, seed: 5 });
  const c = await trainSkipGram(corpus, vocab, { ...opts, seed: 6 });
  assert.deepEqual(a.vectors, b.vectors);
  assert.notDeepEqual(a.vectors, c.vectors);
});

Deno.test("trainSkipGram with two Hogwild workers also learns the topics", async () => {
  const { sequences, topics } = topicCorpus(5);
  const vocab = buildVocabulary(sequences, { minCount: 1 });
  const corpus = encodeCorpus(sequences, vocab);
  const epochs: number[] = [];
  const r = await trainSkipGram(corpus, vocab, {
    ...OPTIONS,
    seed: 2,
    workers: 2,
    onEpoch: (e) => epochs.push(e.epoch),
  });
  assert.deepEqual(epochs, [5]);
  const s = withinAndAcross(r.vectors, 16, vocab, topics);
  assert.ok(s.within > s.across + 0.3, JSON.stringify(s));
});

Deno.test("trainSkipGram rejects bad options and ids outside the vocabulary", async () => {
  const vocab = buildVocabulary([["a", "b"]], { minCount: 1 });
  const corpus = { ids: Int32Array.from([0, 1, 2]), offsets: Int32Array.from([0, 3]) };
  await assert.rejects(trainSkipGram(corpus, vocab), /corpus id 2 outside the vocabulary of 2/);
  const ok = encodeCorpus([["a", "b"]], vocab);
  await assert.rejects(trainSkipGram(ok, vocab, { dim: 0 }), /dim must be an integer >= 1/);
  await assert.rejects(trainSkipGram(ok, vocab, { sample: -1 }), /sample >= 0/);
});

Deno.test("unigramTable follows count^0.75; keepProbabilities subsamples frequent words", () => {
  const counts = Int32Array.from([81, 16, 1]); // ^0.75: 27, 8, 1
  const table = unigramTable(counts, 36_000);
  const share = [0, 1, 2].map((i) => table.filter((x) => x === i).length / table.length);
  assert.ok(Math.abs(share[0] - 27 / 36) < 0.01, String(share));
  assert.ok(Math.abs(share[1] - 8 / 36) < 0.01, String(share));
  assert.ok(Math.abs(share[2] - 1 / 36) < 0.01, String(share));
  const keep = keepProbabilities(Int32Array.from([9990, 5, 5]), 1e-3); // t = 10
  assert.ok(Math.abs(keep[0] - (Math.sqrt(999) + 1) * 10 / 9990) < 1e-12);
  assert.ok(keep[1] > 1 && keep[2] > 1);
  assert.deepEqual([...keepProbabilities(counts, 0)], [1, 1, 1]);
});
