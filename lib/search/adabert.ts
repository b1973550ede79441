/**
 * AdaBERT's differentiable search (Chen et al. 2020; METHODS.md): bilevel, first-order
 * (DARTS-style alternation): at every step one Adam update of the supernet's weights on a
 * training batch, then one Adam update of the architecture logits (alpha, beta) on a batch of
 * the held-out architecture split, both with
 *   L = (1 - gamma) CE + gamma KD + beta_E L_E        (AdaBERT: gamma 0.8, beta_E 4)
 * where KD is the probe knowledge: for every cell m the soft CE between the shared classifier on
 * cell m's output and the probe of teacher layer t(m) = ceil(m L / K) (lib/distill
 * layer_probes.ts), averaged over the cells inside the sampled depth (weights P(depth >= m),
 * so the depth logits get the gradient too). Ours where the paper is silent: the cell-to-layer
 * map, the averaging, temperature 1 in the soft CE, weight-gradient clipping at norm 5 (DARTS).
 * Temperature annealed 1.0 -> 0.2 (`gumbelTemperature`), straight-through hard Gumbel samples.
 *
 * Seeded and resumable: batch order, dropout and Gumbel noise derive from (seed, step), and with
 * `checkpoint` the weights, architecture logits, both optimizers' moments and the trajectory are
 * saved every `every` steps; a search started again with the same options continues from the
 * last checkpoint and gives the same architecture as an uninterrupted one.
 */
import * as tf from "@tensorflow/tfjs";
import { taskProgress } from "../backend/mod.ts";
import type { EncodedBatch } from "../data/mod.ts";
import { hardLabelCE, softCE } from "../distill/mod.ts";
import { readSafetensors, type TensorToWrite, writeSafetensors } from "../models/mod.ts";
import {
  ADABERT_OPS,
  deriveArchitecture,
  type DerivedArchitecture,
  gumbelTemperature,
} from "../search_space/mod.ts";
import type { AdaBertSupernet, SupernetOutput } from "./adabert_supernet.ts";

export interface AdaBertSearchOptions {
  steps: number;
  /** Weight of KD against CE (AdaBERT: 0.8). */
  gamma?: number;
  /** Weight of the efficiency loss (AdaBERT: 4). */
  efficiencyWeight?: number;
  /** Adam learning rates (the reproduction's 5e-4 and 1e-4). */
  weightLearningRate?: number;
  archLearningRate?: number;
  temperature?: { start: number; end: number };
  seed: number;
  /** Record the architecture distribution every N steps (and at the end). Default 10. */
  recordEvery?: number;
  onRecord?: (r: AdaBertRecord) => void;
  checkpoint?: { dir: string; every: number };
  /** Stop after this step (an interruption: the schedule still runs to `steps`). */
  stopAfter?: number;
}

export interface AdaBertData {
  /** Training batches of an epoch (deterministic for the epoch number). */
  trainBatches(epoch: number): EncodedBatch[];
  /** Batches of the held-out architecture split of an epoch. */
  archBatches(epoch: number): EncodedBatch[];
  /** Probe logits [batch * L * C] of these examples ("train" or "arch" index space). */
  targets(split: "train" | "arch", indices: readonly number[]): Float32Array;
  /** Teacher layers L of the probes. */
  teacherLayers: number;
}

export interface AdaBertRecord {
  step: number;
  temperature: number;
  loss: number;
  ce: number;
  kd: number;
  efficiency: number;
  /** softmax(alpha) per edge [edges][ops] and softmax(beta) [K]. */
  opProbs: number[][];
  depthProbs: number[];
}

export interface AdaBertSearchResult {
  steps: number;
  seconds: number;
  msPerStep: number;
  resumedFrom: number;
  alpha: number[][];
  beta: number[];
  derived: DerivedArchitecture;
  trajectory: AdaBertRecord[];
}

const softmaxRows = (rows: number[][]) =>
  rows.map((r) => {
    const m = Math.max(...r), e = r.map((x) => Math.exp(x - m)), z = e.reduce((a, b) => a + b);
    return e.map((x) => x / z);
  });

/** The loss of one batch and its parts (inside a gradient tape). */
function searchLoss(
  out: SupernetOutput,
  batch: EncodedBatch,
  targets: Float32Array,
  L: number,
  o: { gamma: number; efficiencyWeight: number },
): { total: tf.Scalar; parts: tf.Scalar[] } {
  const K = out.cellLogits.length, C = out.logits.shape[1];
  const B = batch.batchSize;
  const t = tf.tensor3d(targets, [B, L, C]);
  const ce = hardLabelCE(out.logits, tf.tensor1d(batch.labels!, "int32"));
  // a_m = P(depth >= m) = sum_{k >= m} depth_k: [1, K] x upper-triangular ones
  const tri = tf.tensor2d(
    Float32Array.from({ length: K * K }, (_, i) => (Math.floor(i / K) >= i % K ? 1 : 0)),
    [K, K],
  );
  const active = tf.reshape(tf.matMul(tf.reshape(out.depthWeights, [1, K]), tri), [K]);
  const perCell = tf.stack(out.cellLogits.map((logits, m) => {
    const layer = Math.min(L, Math.ceil(((m + 1) * L) / K)) - 1;
    const probe = tf.reshape(tf.slice(t, [0, layer, 0], [B, 1, C]), [B, C]) as tf.Tensor2D;
    return softCE(logits, probe, { temperature: 1 });
  }));
  const kd = tf.div(tf.sum(tf.mul(perCell, active)), tf.sum(active)) as tf.Scalar;
  const total = tf.addN([
    tf.mul(1 - o.gamma, ce),
    tf.mul(o.gamma, kd),
    tf.mul(o.efficiencyWeight, out.efficiency),
  ]) as tf.Scalar;
  return { total, parts: [ce, kd, out.efficiency] };
}

interface SavedState {
  step: number;
  trajectory: AdaBertRecord[];
  optimizerNames: { weights: string[]; arch: string[] };
}

async function saveState(
  dir: string,
  net: AdaBertSupernet,
  opts: { weights: tf.Optimizer; arch: tf.Optimizer },
  state: Omit<SavedState, "optimizerNames">,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const tensors: { name: string; tensor: tf.Tensor }[] = [];
  for (const [name, v] of net.params) tensors.push({ name: `param.${name}`, tensor: v });
  tensors.push({ name: "arch.alpha", tensor: net.arch.alpha });
  tensors.push({ name: "arch.beta", tensor: net.arch.beta });
  const names: SavedState["optimizerNames"] = { weights: [], arch: [] };
  const transient: tf.Tensor[] = []; // getWeights makes a new scalar for the iteration count
  for (const which of ["weights", "arch"] as const) {
    (await opts[which].getWeights()).forEach((w, i) => {
      tensors.push({ name: `opt.${which}.${i}`, tensor: w.tensor });
      names[which].push(w.name);
      if (!(w.tensor instanceof tf.Variable)) transient.push(w.tensor);
    });
  }
  const list = new Map<string, TensorToWrite>();
  for (const t of tensors) {
    list.set(t.name, { shape: t.tensor.shape, data: (await t.tensor.data()) as Float32Array });
  }
  tf.dispose(transient);
  await writeSafetensors(`${dir}/search.tmp.safetensors`, list);
  await Deno.rename(`${dir}/search.tmp.safetensors`, `${dir}/search.safetensors`);
  const saved: SavedState = { ...state, optimizerNames: names };
  await Deno.writeTextFile(`${dir}/search.tmp.json`, JSON.stringify(saved));
  await Deno.rename(`${dir}/search.tmp.json`, `${dir}/search.json`);
}

async function loadState(
  dir: string,
  net: AdaBertSupernet,
  opts: { weights: tf.Optimizer; arch: tf.Optimizer },
): Promise<SavedState | null> {
  let saved: SavedState;
  try {
    saved = JSON.parse(await Deno.readTextFile(`${dir}/search.json`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new Error(`AdaBERT search: ${dir}/search.json is unreadable (${e})`);
  }
  const file = await readSafetensors(`${dir}/search.safetensors`);
  const get = (name: string) => {
    const t = file.tensors.get(name);
    if (!t) throw new Error(`AdaBERT search: ${dir}/search.safetensors has no ${name}`);
    return tf.tensor(t.data as Float32Array, t.shape);
  };
  const assign = (v: tf.Variable, name: string) => {
    const t = get(name);
    if (t.shape.join() !== v.shape.join()) {
      throw new Error(
        `AdaBERT search: ${name} in ${dir} has shape [${t.shape}], the supernet [${v.shape}]`,
      );
    }
    v.assign(t);
    t.dispose();
  };
  for (const [name, v] of net.params) assign(v, `param.${name}`);
  assign(net.arch.alpha, "arch.alpha");
  assign(net.arch.beta, "arch.beta");
  for (const which of ["weights", "arch"] as const) {
    const list = saved.optimizerNames[which].map((name, i) => ({
      name,
      tensor: get(`opt.${which}.${i}`),
    }));
    await opts[which].setWeights(list);
    tf.dispose(list.map((w) => w.tensor)); // the optimizer made its own variables
  }
  return saved;
}

export async function adabertSearch(
  net: AdaBertSupernet,
  data: AdaBertData,
  o: AdaBertSearchOptions,
): Promise<AdaBertSearchResult> {
  const gamma = o.gamma ?? 0.8, efficiencyWeight = o.efficiencyWeight ?? 4;
  const recordEvery = o.recordEvery ?? 10;
  if (!(Number.isInteger(o.steps) && o.steps >= 1)) {
    throw new RangeError(`adabertSearch: steps must be an integer >= 1, got ${o.steps}`);
  }
  const opts = {
    weights: tf.train.adam(o.weightLearningRate ?? 5e-4),
    arch: tf.train.adam(o.archLearningRate ?? 1e-4),
  };
  const weightVars = [...net.params.values()];
  const archVars = [net.arch.alpha, net.arch.beta];
  const saved = o.checkpoint ? await loadState(o.checkpoint.dir, net, opts) : null;
  const trajectory: AdaBertRecord[] = saved?.trajectory ?? [];
  const start = saved?.step ?? 0;
  const L = data.teacherLayers;
  const perEpoch = { train: data.trainBatches(0).length, arch: data.archBatches(0).length };
  if (perEpoch.train === 0 || perEpoch.arch === 0) {
    throw new RangeError("adabertSearch: no training or architecture batch");
  }
  const cache = new Map<string, EncodedBatch[]>();
  const batchAt = (split: "train" | "arch", step: number) => {
    const epoch = Math.floor((step - 1) / perEpoch[split]);
    const key = `${split}:${epoch}`;
    if (!cache.has(key)) {
      for (const k of [...cache.keys()]) if (k.startsWith(split)) cache.delete(k);
      cache.set(key, split === "train" ? data.trainBatches(epoch) : data.archBatches(epoch));
    }
    return cache.get(key)![(step - 1) % perEpoch[split]];
  };
  const t0 = performance.now();
  const last = Math.min(o.steps, o.stopAfter ?? o.steps);
  try {
    for (let step = start + 1; step <= last; step++) {
      const temperature = gumbelTemperature(step - 1, o.steps, o.temperature);
      const sample = { temperature, mode: "gumbel" as const, gumbelSeed: o.seed * 100_003 + step };
      const values = [0, 0, 0, 0];
      for (const split of ["train", "arch"] as const) {
        const batch = batchAt(split, step);
        const targets = data.targets(split, batch.indices);
        const vars = split === "train" ? weightVars : archVars;
        const { value, grads } = tf.variableGrads(() => {
          const out = net.forward(batch, {
            ...sample,
            training: true,
            seed: o.seed * 7919 + 2 * step + (split === "arch" ? 1 : 0),
          });
          const { total, parts } = searchLoss(out, batch, targets, L, { gamma, efficiencyWeight });
          if (split === "train") parts.forEach((p, i) => (values[i + 1] = p.dataSync()[0]));
          return total;
        }, vars);
        const loss = value.dataSync()[0];
        if (!Number.isFinite(loss)) {
          tf.dispose([value, ...Object.values(grads)]);
          throw new RangeError(`adabertSearch: the ${split} loss is ${loss} at step ${step}`);
        }
        if (split === "train") values[0] = loss;
        tf.tidy(() => {
          const present = vars.filter((v) => grads[v.name]);
          let scale: tf.Scalar = tf.scalar(1);
          if (split === "train") {
            const norm = tf.sqrt(tf.addN(present.map((v) => tf.sum(tf.square(grads[v.name])))));
            scale = tf.div(5, tf.maximum(norm, 5)) as tf.Scalar;
          }
          opts[split === "train" ? "weights" : "arch"].applyGradients(
            present.map((v) => ({ name: v.name, tensor: tf.mul(grads[v.name], scale) })),
          );
        });
        tf.dispose([value, ...Object.values(grads)]);
      }
      if (step % recordEvery === 0 || step === o.steps) {
        const a = net.archValues();
        const r: AdaBertRecord = {
          step,
          temperature,
          loss: values[0],
          ce: values[1],
          kd: values[2],
          efficiency: values[3],
          opProbs: softmaxRows(a.alpha),
          depthProbs: softmaxRows([a.beta])[0],
        };
        trajectory.push(r);
        o.onRecord?.(r);
      }
      if (o.checkpoint && (step % o.checkpoint.every === 0 || step === last)) {
        await saveState(o.checkpoint.dir, net, opts, { step, trajectory });
      }
      taskProgress(step, o.steps, "bilevel steps"); // inside a pool worker: to its activity
    }
  } finally {
    opts.weights.dispose();
    opts.arch.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const a = net.archValues();
  return {
    steps: last,
    seconds,
    msPerStep: last > start ? (1000 * seconds) / (last - start) : 0,
    resumedFrom: start,
    alpha: a.alpha,
    beta: a.beta,
    derived: deriveArchitecture(a.alpha, a.beta),
    trajectory,
  };
}

/** Names of the ops in trajectory order (for charts). */
export const ADABERT_OP_NAMES: readonly string[] = ADABERT_OPS;
