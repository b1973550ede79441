/**
 * A small BERT-like encoder used only to measure training-step speed (backend fixes, bench).
 * Not the project's model (that lives in lib/models): it is self-contained so the bench and
 * the gradient profiler measure the same thing whatever lib/models looks like.
 *
 * Forward: word + position embeddings -> LayerNorm -> L x [self-attention (softmax) -> add+LN ->
 * FF with erf-GELU -> add+LN] -> [CLS] vector -> linear -> softmax cross-entropy. Adam.
 * Matmuls use explicit transposes (no transpose flags: see lib/backend/_fix_batchmatmul_grad.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { Prng } from "../../lib/random/mod.ts";

export interface TinyConfig {
  vocab: number; // default 30522 (BERT's WordPiece vocabulary)
  hidden: number; // default 128
  heads: number; // default 4
  ff: number; // default 512
  layers: number; // default 2
  batch: number; // default 32
  seq: number; // default 32
  labels: number; // default 2
}

export const TINY_DEFAULTS: TinyConfig = {
  vocab: 30522,
  hidden: 128,
  heads: 4,
  ff: 512,
  layers: 2,
  batch: 32,
  seq: 32,
  labels: 2,
};

/**
 * Analytic FLOPs (multiply + add = 2) of the matmuls of one forward pass. Element-wise ops,
 * softmax, LayerNorm and the embedding lookup are left out (they are O(N*H), not O(N*H^2)).
 * Per layer with N = batch*seq tokens: QKV 3*2*N*H*H, output projection 2*N*H*H,
 * scores 2*N*seq*H, context 2*N*seq*H, FF 2*2*N*H*F; plus the classifier 2*batch*H*labels.
 */
export function forwardMatmulFlops(c: TinyConfig): number {
  const n = c.batch * c.seq;
  const perLayer = 8 * n * c.hidden * c.hidden + 4 * n * c.seq * c.hidden + 4 * n * c.hidden * c.ff;
  return c.layers * perLayer + 2 * c.batch * c.hidden * c.labels;
}

/**
 * Training-step FLOPs: forward + backward = 3 x forward matmul FLOPs (each matmul C = A B has
 * two backward matmuls of the same size, dA = dC B^T and dB = A^T dC).
 */
export function trainStepFlops(c: TinyConfig): number {
  return 3 * forwardMatmulFlops(c);
}

export interface TinyModel {
  config: TinyConfig;
  params: Map<string, tf.Variable>;
  /** Mean cross-entropy of a batch; ids [batch, seq] int32, labels [batch] int32. */
  loss(ids: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar;
  dispose(): void;
}

function normalVar(prng: Prng, shape: number[], std: number, name: string): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = prng.normal() * std;
  return tf.variable(tf.tensor(v, shape), true, name);
}

function constVar(shape: number[], value: number, name: string): tf.Variable {
  return tf.variable(tf.fill(shape, value), true, name);
}

/** LayerNorm over the last axis (Ba, Kiros, Hinton 2016). x [..., H]. */
function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const axis = x.rank - 1;
  const mean = tf.mean(x, axis, true); // [..., 1]
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), axis, true); // [..., 1]
  const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-12)));
  return tf.add(tf.mul(normed, gamma), beta);
}

/** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)) (Hendrycks & Gimpel 2016), as in BERT. */
function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

export function createTinyModel(
  config: Partial<TinyConfig> = {},
  options: { seed?: number } = {},
): TinyModel {
  const c: TinyConfig = { ...TINY_DEFAULTS, ...config };
  if (c.hidden % c.heads !== 0) {
    throw new RangeError(
      `createTinyModel: hidden ${c.hidden} must be a multiple of heads ${c.heads}`,
    );
  }
  const prng = Prng.fromSeed(options.seed ?? 1);
  const p = new Map<string, tf.Variable>();
  const add = (v: tf.Variable) => p.set(v.name, v);
  const H = c.hidden;
  add(normalVar(prng, [c.vocab, H], 0.02, "emb.word"));
  add(normalVar(prng, [c.seq, H], 0.02, "emb.pos"));
  add(constVar([H], 1, "emb.ln.g"));
  add(constVar([H], 0, "emb.ln.b"));
  for (let l = 0; l < c.layers; l++) {
    for (const w of ["q", "k", "v", "o"]) {
      add(normalVar(prng, [H, H], 0.02, `l${l}.${w}.w`));
      add(constVar([H], 0, `l${l}.${w}.b`));
    }
    add(constVar([H], 1, `l${l}.ln1.g`));
    add(constVar([H], 0, `l${l}.ln1.b`));
    add(normalVar(prng, [H, c.ff], 0.02, `l${l}.ff1.w`));
    add(constVar([c.ff], 0, `l${l}.ff1.b`));
    add(normalVar(prng, [c.ff, H], 0.02, `l${l}.ff2.w`));
    add(constVar([H], 0, `l${l}.ff2.b`));
    add(constVar([H], 1, `l${l}.ln2.g`));
    add(constVar([H], 0, `l${l}.ln2.b`));
  }
  add(normalVar(prng, [H, c.labels], 0.02, "cls.w"));
  add(constVar([c.labels], 0, "cls.b"));
  const g = (name: string) => p.get(name)!;

  function dense(x: tf.Tensor2D, name: string): tf.Tensor2D {
    return tf.add(tf.matMul(x, g(`${name}.w`)), g(`${name}.b`));
  }

  function loss(ids: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
    const [B, T] = ids.shape;
    const N = B * T, nh = c.heads, dh = H / nh;
    const splitHeads = (t: tf.Tensor2D) =>
      tf.transpose(tf.reshape(t, [B, T, nh, dh]), [0, 2, 1, 3]); // [B, nh, T, dh]
    const words = tf.gather(g("emb.word"), tf.reshape(ids, [N])); // [N, H]
    const pos = tf.slice(g("emb.pos"), [0, 0], [T, H]); // [T, H]
    let x = tf.reshape(tf.add(tf.reshape(words, [B, T, H]), pos), [N, H]) as tf.Tensor2D;
    x = layerNorm(x, g("emb.ln.g"), g("emb.ln.b")) as tf.Tensor2D; // [N, H]
    for (let l = 0; l < c.layers; l++) {
      const q = splitHeads(dense(x, `l${l}.q`)); // [B, nh, T, dh]
      // [B, nh, dh, T]
      const kT = tf.transpose(tf.reshape(dense(x, `l${l}.k`), [B, T, nh, dh]), [0, 2, 3, 1]);
      const v = splitHeads(dense(x, `l${l}.v`)); // [B, nh, T, dh]
      const scores = tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(dh)); // [B, nh, T, T]
      const probs = tf.softmax(scores); // [B, nh, T, T]
      const ctx = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [
        N,
        H,
      ]) as tf.Tensor2D;
      x = layerNorm(
        tf.add(x, dense(ctx, `l${l}.o`)),
        g(`l${l}.ln1.g`),
        g(`l${l}.ln1.b`),
      ) as tf.Tensor2D;
      const h = gelu(dense(x, `l${l}.ff1`)) as tf.Tensor2D; // [N, F]
      x = layerNorm(
        tf.add(x, dense(h, `l${l}.ff2`)),
        g(`l${l}.ln2.g`),
        g(`l${l}.ln2.b`),
      ) as tf.Tensor2D;
    }
    const cls = tf.reshape(tf.slice(tf.reshape(x, [B, T, H]), [0, 0, 0], [B, 1, H]), [
      B,
      H,
    ]) as tf.Tensor2D;
    const logits = dense(cls, "cls"); // [B, labels]
    const logp = tf.logSoftmax(logits); // [B, labels]
    const picked = tf.sum(tf.mul(logp, tf.oneHot(labels, c.labels)), 1); // [B]
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  }

  return {
    config: c,
    params: p,
    loss,
    dispose: () => p.forEach((v) => v.dispose()),
  };
}

/** Deterministic token ids [batch, seq] and labels [batch] for speed measurements. */
export function tinyBatch(c: TinyConfig, seed = 2): { ids: tf.Tensor2D; labels: tf.Tensor1D } {
  const prng = Prng.fromSeed(seed);
  const ids = new Int32Array(c.batch * c.seq);
  for (let i = 0; i < ids.length; i++) ids[i] = prng.int(c.vocab);
  const labels = new Int32Array(c.batch);
  for (let i = 0; i < labels.length; i++) labels[i] = prng.int(c.labels);
  return { ids: tf.tensor2d(ids, [c.batch, c.seq], "int32"), labels: tf.tensor1d(labels, "int32") };
}

/** A training step closure (Adam, lr 1e-4); returns the loss value. Caller disposes `dispose`. */
export function tinyTrainer(model: TinyModel, options: { learningRate?: number } = {}) {
  const opt = tf.train.adam(options.learningRate ?? 1e-4);
  const vars = [...model.params.values()];
  return {
    step(ids: tf.Tensor2D, labels: tf.Tensor1D): number {
      const l = opt.minimize(() => model.loss(ids, labels), true, vars) as tf.Scalar;
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    },
    dispose: () => opt.dispose(),
  };
}
