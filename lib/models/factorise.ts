/**
 * Best rank-E factorisation of an embedding table, for initialising an ALBERT-style factorised
 * student (config `embedding_size`) from a full-width teacher table.
 *
 * W [vocab, H] ≈ (W·Q)·Qᵀ with Q [H, E] an orthonormal basis of W's top-E right singular subspace
 * (the top-E eigenvectors of WᵀW), the Eckart-Young optimum in the Frobenius norm. Q is found by
 * subspace iteration on the H x H Gram matrix (plain JS in float64: H is a few hundred), started
 * from a seeded random basis; the product W·Q is one tfjs matmul.
 */
import * as tf from "@tensorflow/tfjs";
import { Prng } from "../random/mod.ts";

export interface Factorised {
  /** [vocab, E]: the student's word table (W·Q). */
  table: tf.Tensor2D;
  /** [E, H]: the projection back to the hidden width (Qᵀ), internal [in, out] layout. */
  projection: tf.Tensor2D;
  /** ‖W − W·Q·Qᵀ‖_F / ‖W‖_F. */
  relativeError: number;
}

export function factoriseEmbedding(
  table: tf.Tensor2D,
  rank: number,
  options: { seed?: number; iterations?: number } = {},
): Factorised {
  const [, h] = table.shape;
  if (!Number.isInteger(rank) || rank < 1 || rank > h) {
    throw new RangeError(`factoriseEmbedding: rank must be an integer in [1, ${h}], got ${rank}`);
  }
  const gram = tf.tidy(() => tf.matMul(tf.transpose(table), table)); // [h, h]
  const g = Float64Array.from(gram.dataSync());
  gram.dispose();
  const prng = Prng.fromSeed(options.seed ?? 0);
  // [h, rank] row-major
  let q: Float64Array = Float64Array.from({ length: h * rank }, () => prng.normal());
  orthonormalise(q, h, rank);
  for (let it = 0; it < (options.iterations ?? 200); it++) {
    q = gramTimes(g, q, h, rank);
    orthonormalise(q, h, rank);
  }
  const qT = new Float32Array(rank * h);
  for (let i = 0; i < h; i++) for (let j = 0; j < rank; j++) qT[j * h + i] = q[i * rank + j];
  const projection = tf.tensor2d(qT, [rank, h]);
  const small = tf.tidy(() => tf.matMul(table, tf.transpose(projection))) as tf.Tensor2D;
  // ‖W‖² − ‖W·Q‖² (Q orthonormal), from the Gram matrix and the captured energy
  let total = 0;
  for (let i = 0; i < h; i++) total += g[i * h + i];
  const kept = tf.tidy(() => tf.sum(tf.square(small)).dataSync()[0]);
  return {
    table: small,
    projection,
    relativeError: Math.sqrt(Math.max(0, total - kept) / Math.max(total, 1e-30)),
  };
}

/** g [h, h] · q [h, k]. */
function gramTimes(g: Float64Array, q: Float64Array, h: number, k: number): Float64Array {
  const out = new Float64Array(h * k);
  for (let i = 0; i < h; i++) {
    for (let t = 0; t < h; t++) {
      const gi = g[i * h + t];
      if (gi === 0) continue;
      for (let j = 0; j < k; j++) out[i * k + j] += gi * q[t * k + j];
    }
  }
  return out;
}

/** Modified Gram-Schmidt on the k columns of q [h, k], in place. */
function orthonormalise(q: Float64Array, h: number, k: number): void {
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < h; i++) dot += q[i * k + j] * q[i * k + p];
      for (let i = 0; i < h; i++) q[i * k + j] -= dot * q[i * k + p];
    }
    let norm = 0;
    for (let i = 0; i < h; i++) norm += q[i * k + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < h; i++) q[i * k + j] /= norm;
  }
}
