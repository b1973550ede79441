import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  addTeacherTargets,
  buildTeacherCache,
  hashExamples,
  openTeacherCache,
  teacherCacheKey,
  type TeacherCacheKeyParts,
} from "./teacher_cache.ts";
import { createTinyClassifier } from "./_test_model.ts";
import { encodeBatches, loadSst2Dev, setupBackend } from "./_test_data.ts";
import type { Classifier } from "../models/mod.ts";

await setupBackend();

const examples = loadSst2Dev(40);
const batches = encodeBatches(examples, { batchSize: 16, vocabSize: 64, maxLength: 12 });
const keyParts: TeacherCacheKeyParts = {
  teacherSha256: "a".repeat(64),
  tokenizer: "hashed-words-64",
  maxLength: 12,
  split: "sst2/dev[:40]",
  examplesSha256: hashExamples(examples),
};

/** Wraps a classifier, counting forward calls (so a reused cache is seen not to run it). */
function counting(model: Classifier, options: { failAt?: number } = {}) {
  const counter = { calls: 0 };
  const wrapped: Classifier = {
    ...model,
    forward(batch, o) {
      counter.calls++;
      if (options.failAt === counter.calls) throw new Error("simulated crash");
      return model.forward(batch, o);
    },
  };
  return { wrapped, counter };
}

Deno.test(
  "teacher cache round trip: logits exact, float16 hidden states, reuse without the teacher",
  () => {
    const root = Deno.makeTempDirSync();
    const teacher = createTinyClassifier({ layers: 2, width: 8, numLabels: 3, seed: 5 });
    const before = tf.memory().numTensors;
    try {
      for (const pooling of ["cls", "tokens"] as const) {
        const hidden = { layers: [0, 2], pooling };
        const { wrapped, counter } = counting(teacher);
        const cache = buildTeacherCache(wrapped, batches, {
          keyParts,
          numExamples: examples.length,
          hidden,
          root,
        });
        assert.equal(cache.built, true);
        assert.equal(counter.calls, batches.length);
        assert.equal(cache.key, teacherCacheKey(keyParts, hidden));
        // Compare with a fresh forward pass on batch 1 (examples 16..31).
        const b = batches[1];
        const out = teacher.forward(b, { outputHidden: true });
        const logits = out.logits.dataSync();
        const h2 = out.hidden[2].dataSync(); // [16, seq, 8]
        assert.deepEqual(Array.from(cache.logitsFor(b.indices)), Array.from(logits));
        const targets = addTeacherTargets(b, cache);
        assert.deepEqual(targets.teacher.logits, cache.logitsFor(b.indices));
        const got = targets.teacher.hidden.get(2)!;
        const s = b.seqLen, w = 8;
        for (let r = 0; r < b.batchSize; r++) {
          const len = b.attentionMask.subarray(r * s, (r + 1) * s).reduce((x, y) => x + y, 0);
          const positions = pooling === "cls" ? 1 : s;
          for (let j = 0; j < positions; j++) {
            for (let k = 0; k < w; k++) {
              const want = j < len ? h2[(r * s + j) * w + k] : 0; // padding rows are zero
              const g = got[(r * positions + j) * w + k];
              assert.ok(
                Math.abs(g - want) <= 1e-3 * Math.max(1, Math.abs(want)),
                `${pooling} r${r} j${j} k${k}: ${g} vs ${want}`,
              );
            }
          }
        }
        tf.dispose([out.logits, ...out.hidden]);
        // Second build with the same key: reused, teacher not run; open by key works too.
        const again = counting(teacher);
        const reused = buildTeacherCache(again.wrapped, batches, {
          keyParts,
          numExamples: examples.length,
          hidden,
          root,
        });
        assert.equal(reused.built, false);
        assert.equal(again.counter.calls, 0);
        assert.deepEqual(
          openTeacherCache(cache.key, { root }).logitsFor([3, 0]),
          cache.logitsFor([3, 0]),
        );
        assert.throws(
          () => cache.hiddenFor([0], 1),
          /layer 1 is not cached \(cached layers: 0, 2\)/,
        );
        assert.throws(() => cache.logitsFor([40]), /example index 40 is outside 0\.\.39/);
      }
      assert.equal(tf.memory().numTensors, before, "no tensors leaked by building");
    } finally {
      teacher.dispose();
      Deno.removeSync(root, { recursive: true });
    }
  },
);

Deno.test(
  "teacher cache: interrupted or damaged caches are detected and rebuilt, never used",
  () => {
    const root = Deno.makeTempDirSync();
    const teacher = createTinyClassifier({ seed: 9 });
    const opts = { keyParts, numExamples: examples.length, root };
    try {
      const cache = buildTeacherCache(teacher, batches, opts);
      const dir = cache.dir;
      const data = Deno.readFileSync(`${dir}/data.bin`);
      // 1. Truncated data.bin.
      Deno.writeFileSync(`${dir}/data.bin`, data.subarray(0, data.byteLength - 4));
      assert.throws(
        () => openTeacherCache(cache.key, { root }),
        /incomplete: data\.bin has \d+ bytes, index\.json says \d+/,
      );
      let c = counting(teacher);
      assert.equal(buildTeacherCache(c.wrapped, batches, opts).built, true);
      assert.equal(c.counter.calls, batches.length);
      // 2. Same size, one byte changed: the sha256 catches it.
      const flipped = Deno.readFileSync(`${dir}/data.bin`);
      flipped[5] ^= 0xff;
      Deno.writeFileSync(`${dir}/data.bin`, flipped);
      assert.throws(() => openTeacherCache(cache.key, { root }), /sha256 differs/);
      assert.equal(buildTeacherCache(teacher, batches, opts).built, true);
      // 3. No index.json (a build killed before its last write).
      Deno.removeSync(`${dir}/index.json`);
      assert.throws(() => openTeacherCache(cache.key, { root }), /incomplete: no index\.json/);
      assert.equal(buildTeacherCache(teacher, batches, opts).built, true);
      // 4. A crash during a build leaves no usable folder and keeps the old complete one intact.
      c = counting(teacher, { failAt: 2 });
      assert.throws(
        () => buildTeacherCache(c.wrapped, batches, { ...opts, rebuild: true }),
        /simulated crash/,
      );
      assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), [cache.key]);
      assert.equal(openTeacherCache(cache.key, { root }).built, false);
      // 5. Missing examples and unknown keys fail clearly.
      assert.throws(
        () => buildTeacherCache(teacher, batches.slice(1), { ...opts, rebuild: true }),
        /16 of 40 examples are in no batch \(first: 0\)/,
      );
      assert.throws(() => openTeacherCache("b".repeat(64), { root }), /is missing; rebuild it/);
    } finally {
      teacher.dispose();
      Deno.removeSync(root, { recursive: true });
    }
  },
);

Deno.test("teacher cache key changes with every part and with the cached layers", () => {
  const base = teacherCacheKey(keyParts);
  const variants = [
    teacherCacheKey({ ...keyParts, teacherSha256: "c".repeat(64) }),
    teacherCacheKey({ ...keyParts, tokenizer: "other" }),
    teacherCacheKey({ ...keyParts, maxLength: 13 }),
    teacherCacheKey({ ...keyParts, split: "sst2/train" }),
    teacherCacheKey({ ...keyParts, examplesSha256: hashExamples(examples.slice(1)) }),
    teacherCacheKey(keyParts, { layers: [0], pooling: "cls" }),
    teacherCacheKey(keyParts, { layers: [0], pooling: "tokens" }),
    teacherCacheKey(keyParts, { layers: [1], pooling: "cls" }),
  ];
  assert.equal(new Set([base, ...variants]).size, variants.length + 1);
  assert.equal(teacherCacheKey({ ...keyParts }), base, "deterministic");
});

Deno.test("addTeacherTargets rejects a batch tokenized differently from the cache", () => {
  const root = Deno.makeTempDirSync();
  const teacher = createTinyClassifier({ seed: 2 });
  try {
    const cache = buildTeacherCache(teacher, batches, {
      keyParts,
      numExamples: examples.length,
      root,
      hidden: { layers: [1], pooling: "tokens" },
    });
    const shorter = encodeBatches(examples, { batchSize: 16, vocabSize: 64, maxLength: 4 });
    assert.throws(
      () => addTeacherTargets(shorter[0], cache),
      /has 4 real tokens in the batch but \d+ in the cache/,
    );
  } finally {
    teacher.dispose();
    Deno.removeSync(root, { recursive: true });
  }
});
