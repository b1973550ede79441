/**
 * Genome -> tfjs student (the only file of this area that touches tfjs, with `_ops/`).
 *
 * Model: token + position + token-type embeddings of width E, LayerNorm, dropout, a linear
 * E -> H projection when E != H (ALBERT-style factorisation), then the cells of the CANONICAL
 * genome (see canonical.ts): node j = op(sum of its inputs); cell output =
 * LayerNorm(in0 + dropout(sum of the cell's output nodes)). Classifier: linear layer on the
 * mean of the last cell's output over real (non-padding) tokens; mean pooling rather than
 * [CLS] because convolution / pooling students give [CLS] no special role.
 *
 * Padding: masked out of attention keys (additive -1e9), zeroed before convolutions and
 * pooling (so "same" padding never leaks padding tokens into real ones), excluded from pooling
 * windows and from the final mean.
 *
 * `hidden` (when `outputHidden`) = [embedding output after projection, each cell's output],
 * each [batch, seq, H]. `attentions` (when `outputAttentions`) = every attention node's
 * probabilities [batch, heads, seq, seq], in cell/node order.
 *
 * Variables live in `params` under readable names (`embeddings.word.weight`,
 * `cells.0.nodes.1.attn.q.weight`, `cells.0.norm.gamma`, `classifier.weight`...); node indices
 * are those of the canonical genome. Init: truncated normal std 0.02 for matrices and
 * depthwise kernels, zeros for biases, ones / zeros for LayerNorm, seeded from a Prng.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier, ForwardOptions, ModelOutput } from "../models/mod.ts";
import { dropout as sharedDropout, wordVectors } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import { parseRef } from "./_graph.ts";
import { selfAttention } from "./_ops/attention.ts";
import { sepConv } from "./_ops/conv.ts";
import { embed } from "./_ops/embedding.ts";
import { feedForward } from "./_ops/ffn.ts";
import { layerNorm } from "./_ops/layer_norm.ts";
import { linear } from "./_ops/linear.ts";
import { seqPool } from "./_ops/pool.ts";
import { canonicalize, genomeHash } from "./canonical.ts";
import { OP_SPECS } from "./ops.ts";
import { validateStructure } from "./validate.ts";
import type { Genome } from "./types.ts";

export interface BuildOptions {
  /** Token embedding rows (full BERT vocabulary: 30,522). */
  vocabSize: number;
  /** Longest sequence accepted (position embedding rows). Default 128. */
  maxPositions?: number;
  /** Default 2. */
  numLabels?: number;
  /** Default 2. */
  typeVocabSize?: number;
  /** Dropout rate when `forward(..., { training: true })`. Default 0.1. */
  dropout?: number;
  /** Init std of matrices. Default 0.02. */
  initStd?: number;
  /** Randomness for the init; default `Prng.fromSeed(seed)`. */
  prng?: Prng;
  /** Used when `prng` is not given. Default 0. */
  seed?: number;
}

/** A searched student: a Classifier plus the (canonical) genome it was built from. */
export interface SearchedStudent extends Classifier {
  readonly kind: "searched";
  readonly genome: Genome;
}

export function buildStudent(genome: Genome, options: BuildOptions): SearchedStudent {
  validateStructure(genome);
  const g = canonicalize(genome);
  const {
    vocabSize,
    maxPositions = 128,
    numLabels = 2,
    typeVocabSize = 2,
    dropout = 0.1,
    initStd = 0.02,
  } = options;
  if (!Number.isInteger(vocabSize) || vocabSize <= 0) {
    throw new RangeError(`buildStudent: vocabSize must be a positive integer, got ${vocabSize}`);
  }
  const prng = options.prng ?? Prng.fromSeed(options.seed ?? 0);
  const E = g.embeddingSize, H = g.hiddenSize;
  const params = new Map<string, tf.Variable>();
  const add = (name: string, shape: number[], init: "normal" | "zeros" | "ones") => {
    const t = init === "normal"
      ? tf.truncatedNormal(shape, 0, initStd, "float32", prng.seed())
      : init === "zeros"
      ? tf.zeros(shape)
      : tf.ones(shape);
    params.set(name, tf.variable(t, true));
    t.dispose();
  };
  add("embeddings.word.weight", [vocabSize, E], "normal");
  add("embeddings.position.weight", [maxPositions, E], "normal");
  add("embeddings.token_type.weight", [typeVocabSize, E], "normal");
  add("embeddings.norm.gamma", [E], "ones");
  add("embeddings.norm.beta", [E], "zeros");
  if (E !== H) {
    add("embeddings.projection.weight", [E, H], "normal");
    add("embeddings.projection.bias", [H], "zeros");
  }
  g.cells.forEach((cell, c) => {
    cell.nodes.forEach((node, j) => {
      const p = `cells.${c}.nodes.${j}`;
      const spec = OP_SPECS[node.op];
      if (spec.kind === "attention") {
        for (const m of ["q", "k", "v", "o"]) {
          add(`${p}.attn.${m}.weight`, [H, H], "normal");
          add(`${p}.attn.${m}.bias`, [H], "zeros");
        }
      } else if (spec.kind === "ffn") {
        add(`${p}.ffn.in.weight`, [H, spec.ratio * H], "normal");
        add(`${p}.ffn.in.bias`, [spec.ratio * H], "zeros");
        add(`${p}.ffn.out.weight`, [spec.ratio * H, H], "normal");
        add(`${p}.ffn.out.bias`, [H], "zeros");
      } else if (spec.kind === "conv") {
        add(`${p}.conv.depthwise.weight`, [spec.kernel, H], "normal");
        add(`${p}.conv.pointwise.weight`, [H, H], "normal");
        add(`${p}.conv.pointwise.bias`, [H], "zeros");
      }
    });
    add(`cells.${c}.norm.gamma`, [H], "ones");
    add(`cells.${c}.norm.beta`, [H], "zeros");
  });
  add("classifier.weight", [H, numLabels], "normal");
  add("classifier.bias", [numLabels], "zeros");

  const P = (name: string): tf.Tensor => params.get(name)!;
  let disposed = false;

  const forward = (batch: EncodedBatch, opts: ForwardOptions = {}): ModelOutput => {
    if (disposed) throw new Error("SearchedStudent.forward: the model was disposed");
    const { batchSize: B, seqLen: S } = batch;
    if (S > maxPositions) {
      throw new RangeError(
        `SearchedStudent.forward: seqLen ${S} exceeds maxPositions ${maxPositions}`,
      );
    }
    const training = opts.training ?? false;
    // lib/models' seeded dropout (one sfc32 stream per forward pass; fused on wasm)
    const rng = training && dropout > 0 ? Prng.fromSeed(opts.seed ?? 0) : null;
    const drop = (x: tf.Tensor) => sharedDropout(x, dropout, rng);
    return tf.tidy((): tf.TensorContainer => {
      const ids = tf.tensor2d(batch.inputIds, [B, S], "int32");
      const types = tf.tensor2d(batch.tokenTypeIds, [B, S], "int32");
      const mask = tf.tensor2d(batch.attentionMask, [B, S], "int32").toFloat(); // [B, S]
      const mask3 = tf.reshape(mask, [B, S, 1]) as tf.Tensor3D; // [B, S, 1]
      const maskBias = tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [B, 1, 1, S]) as tf.Tensor4D;
      const positions = tf.reshape(tf.range(0, S, 1, "int32"), [1, S]) as tf.Tensor2D;
      let x: tf.Tensor = tf.add(
        tf.add(
          tf.reshape(
            wordVectors(
              P("embeddings.word.weight") as tf.Tensor2D,
              tf.reshape(ids, [B * S]) as tf.Tensor1D,
              opts.wordReplacement,
            ),
            [B, S, E],
          ),
          embed(P("embeddings.position.weight") as tf.Tensor2D, positions),
        ),
        embed(P("embeddings.token_type.weight") as tf.Tensor2D, types),
      ); // [B, S, E]
      x = drop(layerNorm(x, P("embeddings.norm.gamma"), P("embeddings.norm.beta")));
      if (E !== H) {
        // [B, S, H]
        x = linear(x, P("embeddings.projection.weight"), P("embeddings.projection.bias"));
      }
      const outs: tf.Tensor3D[] = [x as tf.Tensor3D]; // outs[k] = input of cell k as in0
      const attentions: tf.Tensor4D[] = [];
      g.cells.forEach((cell, c) => {
        const cellIn = (i: number) => outs[Math.max(0, c - i)];
        const nodeOut: tf.Tensor3D[] = [];
        const consumed = new Set<number>();
        cell.nodes.forEach((node, j) => {
          const p = `cells.${c}.nodes.${j}`;
          const srcs = node.inputs.map((r) => {
            const q = parseRef(r)!;
            if (q.kind === "n") consumed.add(q.index);
            return q.kind === "in" ? cellIn(q.index) : nodeOut[q.index];
          });
          const u = (srcs.length === 1 ? srcs[0] : tf.addN(srcs)) as tf.Tensor3D; // [B, S, H]
          const spec = OP_SPECS[node.op];
          let y: tf.Tensor3D;
          switch (spec.kind) {
            case "attention": {
              const w = (
                m: string,
              ): [tf.Tensor, tf.Tensor] => [P(`${p}.attn.${m}.weight`), P(`${p}.attn.${m}.bias`)];
              const r = selfAttention(
                u,
                maskBias,
                { q: w("q"), k: w("k"), v: w("v"), o: w("o") },
                spec.heads,
              );
              y = r.out;
              if (opts.outputAttentions) attentions.push(r.probs);
              break;
            }
            case "ffn":
              y = feedForward(
                u,
                P(`${p}.ffn.in.weight`),
                P(`${p}.ffn.in.bias`),
                P(`${p}.ffn.out.weight`),
                P(`${p}.ffn.out.bias`),
                g.activation ?? "gelu",
              );
              break;
            case "conv":
              y = sepConv(
                tf.mul(u, mask3) as tf.Tensor3D,
                P(`${p}.conv.depthwise.weight`) as tf.Tensor2D,
                P(`${p}.conv.pointwise.weight`),
                P(`${p}.conv.pointwise.bias`),
                spec.dilation,
              );
              break;
            case "pool":
              y = seqPool(u, mask3, spec.mode, spec.window);
              break;
            case "identity":
              y = u;
              break;
            case "zero": // canonical genomes have no zero nodes
              y = tf.zerosLike(u);
              break;
          }
          nodeOut.push(y);
        });
        const ends = nodeOut.filter((_, j) => !consumed.has(j));
        const branch = ends.length === 0 ? null : ends.length === 1 ? ends[0] : tf.addN(ends);
        const pre = branch === null ? cellIn(0) : tf.add(cellIn(0), drop(branch));
        outs.push(
          layerNorm(pre, P(`cells.${c}.norm.gamma`), P(`cells.${c}.norm.beta`)) as tf.Tensor3D,
        );
      });
      const last = outs[outs.length - 1]; // [B, S, H]
      const count = tf.maximum(tf.sum(mask3, 1), 1); // [B, 1]
      const pooled = tf.div(tf.sum(tf.mul(last, mask3), 1), count); // [B, H]
      // [B, L]
      const logits = linear(pooled, P("classifier.weight"), P("classifier.bias")) as tf.Tensor2D;
      const out: ModelOutput = { logits, hidden: opts.outputHidden ? outs : [] };
      if (opts.outputAttentions) out.attentions = attentions;
      return out as unknown as tf.TensorContainer;
    }) as unknown as ModelOutput;
  };

  let total = 0;
  for (const v of params.values()) total += v.size;
  return {
    kind: "searched",
    genome: g,
    config: {
      genome: g,
      genomeHash: genomeHash(g),
      vocabSize,
      maxPositions,
      numLabels,
      typeVocabSize,
      dropout,
      initStd,
    },
    params,
    numLabels,
    forward,
    countParams: () => total,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const v of params.values()) v.dispose();
    },
  };
}
