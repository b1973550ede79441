import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { testBackend } from "./_test_backend.ts";
import { factoriseEmbedding } from "./factorise.ts";
import { Prng } from "../random/mod.ts";

await testBackend();

function randomMatrix(rows: number, cols: number, seed: number): tf.Tensor2D {
  const p = Prng.fromSeed(seed);
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => p.normal()), [rows, cols]);
}

Deno.test(
  "factoriseEmbedding recovers an exactly rank-E table (error ~0) " +
    "with an orthonormal projection",
  () => {
    const before = tf.memory().numTensors;
    const a = randomMatrix(300, 4, 1), b = randomMatrix(4, 24, 2);
    const w = tf.matMul(a, b) as tf.Tensor2D; // rank 4
    const f = factoriseEmbedding(w, 4, { seed: 3 });
    assert.deepEqual(f.table.shape, [300, 4]);
    assert.deepEqual(f.projection.shape, [4, 24]);
    assert.ok(f.relativeError < 1e-3, `relative error ${f.relativeError}`);
    const err = tf.tidy(() =>
      tf.norm(tf.sub(tf.matMul(f.table, f.projection), w)).dataSync()[0] / tf.norm(w).dataSync()[0]
    );
    assert.ok(err < 1e-3, `reconstruction ${err}`);
    const qqT = tf.tidy(() =>
      tf.matMul(f.projection, tf.transpose(f.projection)).arraySync()
    ) as number[][];
    qqT.forEach((row, i) =>
      row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-4))
    );
    tf.dispose([a, b, w, f.table, f.projection]);
    assert.equal(tf.memory().numTensors, before);
  },
);

Deno.test(
  "factoriseEmbedding keeps the top singular directions: " +
    "beats a random rank-E basis; rank checked",
  () => {
    // columns with decreasing scale: the top directions carry most of the energy
    const p = Prng.fromSeed(5);
    const h = 16, v = 400;
    const data = Float32Array.from({ length: v * h }, (_, i) => p.normal() * 2 ** -(i % h));
    const w = tf.tensor2d(data, [v, h]);
    const best = factoriseEmbedding(w, 3, { seed: 1 });
    // the optimum keeps columns 0..2: error ≈ sqrt(sum_{c>=3} 4^-c / sum_c 4^-c) ≈ 0.125
    assert.ok(best.relativeError < 0.15, `error ${best.relativeError}`);
    const few = factoriseEmbedding(w, 3, { seed: 1, iterations: 0 }); // the random start basis
    assert.ok(
      few.relativeError > best.relativeError + 0.1,
      `${few.relativeError} vs ${best.relativeError}`,
    );
    assert.throws(() => factoriseEmbedding(w, 17), /rank must be an integer in \[1, 16\], got 17/);
    tf.dispose([w, best.table, best.projection, few.table, few.projection]);
  },
);
