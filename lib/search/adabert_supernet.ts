/**
 * AdaBERT's supernet (lib/search_space adabert_space.ts has the space, semantics and cost):
 * embeddings as the RoSearch builder's, then `maxCells` cells sharing one topology; every edge
 * of every cell has its own weights for each of the 10 ops, mixed by one architecture row
 * alpha[edge] shared by all cells (one cell topology); depth logits beta [maxCells].
 *
 * Sampling (`mode`):
 * - "gumbel": straight-through hard Gumbel-softmax (lib/distill `gumbelSoftmaxST`) at the given
 *   temperature: the forward pass uses one op per edge and one depth, the backward pass the
 *   gradient of the soft sample (the reproduction's choice);
 * - "soft": softmax(logits / temperature), no noise (evaluation and the by-hand tests).
 * Every op is computed on every edge either way (the soft gradient needs them all).
 *
 * Output: `cellLogits[m]` = the shared classifier on the masked mean of cell m's output, and
 * `logits` = sum_m depth_m cellLogits[m] (the sampled depth's classifier output); `opWeights`
 * [edges, ops] and `depthWeights` [maxCells] as sampled; `efficiency` = L_E of those weights.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import { gumbelSoftmaxST } from "../distill/mod.ts";
import { Prng } from "../random/mod.ts";
import { ADABERT_OPS, adabertOpCosts, cellEdges, OP_SPECS } from "../search_space/mod.ts";
import { embed, layerNorm, linear, sepConv, seqPool } from "../search_space/tfjs.ts";

export interface SupernetOptions {
  vocabSize: number;
  maxPositions?: number;
  numLabels: number;
  embeddingSize: number;
  hiddenSize: number;
  /** K, the most cells (AdaBERT: 8). */
  maxCells: number;
  dropout?: number;
  seed: number;
}

export interface SupernetForwardOptions {
  training?: boolean;
  /** Dropout seed. */
  seed?: number;
  temperature: number;
  mode: "gumbel" | "soft";
  /** Gumbel noise seed (mode "gumbel"). */
  gumbelSeed?: number;
}

export interface SupernetOutput {
  logits: tf.Tensor2D;
  cellLogits: tf.Tensor2D[];
  opWeights: tf.Tensor2D;
  depthWeights: tf.Tensor1D;
  efficiency: tf.Scalar;
}

let instances = 0;

export class AdaBertSupernet {
  readonly params = new Map<string, tf.Variable>();
  /** alpha [edges, ops] and beta [maxCells], trained by the architecture optimizer. */
  readonly arch: { alpha: tf.Variable; beta: tf.Variable };
  readonly options: Required<SupernetOptions>;
  readonly edges = cellEdges();
  readonly #costs: tf.Tensor1D;

  constructor(o: SupernetOptions) {
    this.options = { maxPositions: 128, dropout: 0.1, ...o };
    const { vocabSize, maxPositions, embeddingSize: E, hiddenSize: H, maxCells, numLabels } =
      this.options;
    if (!(Number.isInteger(maxCells) && maxCells >= 1)) {
      throw new RangeError(`AdaBertSupernet: maxCells must be an integer >= 1, got ${maxCells}`);
    }
    const prng = Prng.fromSeed(o.seed);
    const id = `adabert#${instances++}`; // tfjs variable names are global
    const add = (name: string, shape: number[], init: "normal" | "zeros" | "ones") => {
      const t = init === "normal"
        ? tf.truncatedNormal(shape, 0, 0.02, "float32", prng.seed())
        : init === "zeros"
        ? tf.zeros(shape)
        : tf.ones(shape);
      this.params.set(name, tf.variable(t, true, `${id}.${name}`));
      t.dispose();
    };
    add("embeddings.word.weight", [vocabSize, E], "normal");
    add("embeddings.position.weight", [maxPositions, E], "normal");
    add("embeddings.token_type.weight", [2, E], "normal");
    add("embeddings.norm.gamma", [E], "ones");
    add("embeddings.norm.beta", [E], "zeros");
    if (E !== H) {
      add("embeddings.projection.weight", [E, H], "normal");
      add("embeddings.projection.bias", [H], "zeros");
    }
    for (let c = 0; c < maxCells; c++) {
      this.edges.forEach((_, e) => {
        for (const op of ADABERT_OPS) {
          const s = OP_SPECS[op];
          if (s.kind !== "conv") continue;
          const p = `cells.${c}.edges.${e}.${op}`;
          add(`${p}.depthwise`, [s.kernel, H], "normal");
          add(`${p}.pointwise.weight`, [H, H], "normal");
          add(`${p}.pointwise.bias`, [H], "zeros");
        }
      });
      add(`cells.${c}.norm.gamma`, [H], "ones");
      add(`cells.${c}.norm.beta`, [H], "zeros");
    }
    add("classifier.weight", [H, numLabels], "normal");
    add("classifier.bias", [numLabels], "zeros");
    const a0 = tf.zeros([this.edges.length, ADABERT_OPS.length]), b0 = tf.zeros([maxCells]);
    this.arch = {
      alpha: tf.variable(a0, true, `${id}.alpha`),
      beta: tf.variable(b0, true, `${id}.beta`),
    };
    tf.dispose([a0, b0]); // the variables keep their own reference
    this.#costs = tf.keep(tf.tensor1d(adabertOpCosts(H)));
  }

  #p(name: string): tf.Tensor {
    const v = this.params.get(name);
    if (!v) throw new Error(`AdaBertSupernet: no parameter ${name}`);
    return v;
  }

  /** Sampled (or soft) op weights [edges, ops] and depth weights [maxCells]. */
  sampleArchitecture(o: SupernetForwardOptions): { ops: tf.Tensor2D; depth: tf.Tensor1D } {
    const { temperature: tau } = o;
    if (!(tau > 0)) throw new RangeError(`AdaBertSupernet: temperature must be > 0, got ${tau}`);
    return tf.tidy(() => {
      const { alpha, beta } = this.arch;
      if (o.mode === "soft") {
        return {
          ops: tf.softmax(tf.div(alpha, tau)) as tf.Tensor2D,
          depth: tf.softmax(tf.div(beta, tau)) as tf.Tensor1D,
        };
      }
      const seed = o.gumbelSeed ?? 0;
      const ops = gumbelSoftmaxST(alpha as unknown as tf.Tensor2D, { tau, seed });
      const depth = gumbelSoftmaxST(tf.reshape(beta, [1, -1]) as tf.Tensor2D, {
        tau,
        seed: seed + 1,
      });
      return { ops, depth: tf.reshape(depth, [-1]) as tf.Tensor1D };
    });
  }

  /** L_E = (E[cells] / K) x mean_e sum_o w_eo cost_o, from the given weights. */
  efficiency(ops: tf.Tensor2D, depth: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const K = this.options.maxCells;
      const cells = tf.div(tf.sum(tf.mul(depth, tf.range(1, K + 1))), K);
      return tf.mul(cells, tf.mean(tf.sum(tf.mul(ops, this.#costs), 1))) as tf.Scalar;
    });
  }

  forward(batch: EncodedBatch, o: SupernetForwardOptions): SupernetOutput {
    const { embeddingSize: E, hiddenSize: H, maxCells: K, dropout, maxPositions } = this.options;
    const { batchSize: B, seqLen: S } = batch;
    if (S > maxPositions) {
      throw new RangeError(`AdaBertSupernet: seqLen ${S} exceeds maxPositions ${maxPositions}`);
    }
    const training = o.training ?? false;
    let dropSeed = o.seed ?? 0;
    const drop = (x: tf.Tensor) =>
      training && dropout > 0 ? tf.dropout(x, dropout, undefined, dropSeed++) : x;
    return tf.tidy(() => {
      const { ops: w, depth } = this.sampleArchitecture(o);
      const ids = tf.tensor2d(batch.inputIds, [B, S], "int32");
      const types = tf.tensor2d(batch.tokenTypeIds, [B, S], "int32");
      const mask3 = tf.reshape(tf.tensor2d(batch.attentionMask, [B, S], "int32").toFloat(), [
        B,
        S,
        1,
      ]) as tf.Tensor3D;
      const positions = tf.reshape(tf.range(0, S, 1, "int32"), [1, S]) as tf.Tensor2D;
      let x: tf.Tensor = tf.add(
        tf.add(
          embed(this.#p("embeddings.word.weight") as tf.Tensor2D, ids),
          embed(this.#p("embeddings.position.weight") as tf.Tensor2D, positions),
        ),
        embed(this.#p("embeddings.token_type.weight") as tf.Tensor2D, types),
      ); // [B, S, E]
      x = drop(layerNorm(x, this.#p("embeddings.norm.gamma"), this.#p("embeddings.norm.beta")));
      if (E !== H) {
        x = linear(
          x,
          this.#p("embeddings.projection.weight"),
          this.#p("embeddings.projection.bias"),
        );
      }
      const weights = tf.unstack(w); // per edge [ops]
      const states: tf.Tensor3D[] = [tf.mul(x, mask3) as tf.Tensor3D];
      const pooled: tf.Tensor2D[] = [];
      const count = tf.maximum(tf.sum(mask3, 1), 1); // [B, 1]
      for (let c = 0; c < K; c++) {
        const input = (i: number) => states[Math.max(0, c - i)]; // in0, in1
        const nodes: tf.Tensor[] = [];
        this.edges.forEach((edge, e) => {
          const k = Number(edge.source.slice(edge.source.startsWith("in") ? 2 : 1));
          const src = edge.source.startsWith("in") ? input(k) : nodes[k];
          const mixed = this.#mixedOp(src as tf.Tensor3D, mask3, c, e, weights[e] as tf.Tensor1D);
          nodes[edge.node] = nodes[edge.node] === undefined
            ? mixed
            : tf.add(nodes[edge.node], mixed);
        });
        const sum = tf.addN(nodes.slice(0, 3));
        const out = tf.mul(
          layerNorm(
            tf.add(states[c], drop(sum)),
            this.#p(`cells.${c}.norm.gamma`),
            this.#p(`cells.${c}.norm.beta`),
          ),
          mask3,
        ) as tf.Tensor3D;
        states.push(out);
        pooled.push(tf.div(tf.sum(out, 1), count) as tf.Tensor2D);
      }
      const cellLogits = pooled.map((h) =>
        linear(drop(h), this.#p("classifier.weight"), this.#p("classifier.bias")) as tf.Tensor2D
      );
      const d = tf.unstack(depth);
      const logits = tf.addN(cellLogits.map((l, m) => tf.mul(l, d[m]))) as tf.Tensor2D;
      return {
        logits,
        cellLogits,
        opWeights: w,
        depthWeights: depth,
        efficiency: this.efficiency(w, depth),
      };
    });
  }

  /** sum_o w_o op_o(x) on edge e of cell c; x has padding rows zeroed. */
  #mixedOp(x: tf.Tensor3D, mask3: tf.Tensor3D, c: number, e: number, w: tf.Tensor1D): tf.Tensor {
    const ws = tf.unstack(w);
    const terms: tf.Tensor[] = [];
    ADABERT_OPS.forEach((op, i) => {
      const s = OP_SPECS[op];
      let y: tf.Tensor;
      if (s.kind === "conv") {
        const p = `cells.${c}.edges.${e}.${op}`;
        y = tf.mul(
          sepConv(
            x,
            this.#p(`${p}.depthwise`) as tf.Tensor2D,
            this.#p(`${p}.pointwise.weight`),
            this.#p(`${p}.pointwise.bias`),
            s.dilation,
          ),
          mask3,
        );
      } else if (s.kind === "pool") y = seqPool(x, mask3, s.mode, s.window);
      else if (s.kind === "identity") y = x;
      else return; // zero
      terms.push(tf.mul(y, ws[i]));
    });
    return tf.addN(terms);
  }

  /** Parameters of the supernet's weights (not the architecture logits). */
  countParams(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Current architecture logits as arrays (for derivation and trajectories). */
  archValues(): { alpha: number[][]; beta: number[] } {
    return {
      alpha: this.arch.alpha.arraySync() as number[][],
      beta: this.arch.beta.arraySync() as number[],
    };
  }

  dispose(): void {
    tf.dispose([...this.params.values(), this.arch.alpha, this.arch.beta, this.#costs]);
  }
}
