/**
 * BiLSTM classifier after Tang et al. 2019, "Distilling Task-Specific Knowledge from BERT into
 * Simple Neural Networks": embedding -> single-layer BiLSTM -> sentence vector -> ReLU MLP ->
 * logits. Defaults follow the paper's single-sentence model: 300-d embeddings, 150 hidden units
 * per direction, the concatenated last hidden states of both directions, a 400-unit ReLU layer.
 *
 * Deviations (documented choices):
 * - Vocabulary is the project's WordPiece vocabulary (the inputs are EncodedBatch ids), randomly
 *   initialised; the paper used word-level tokens with pre-trained word2vec vectors.
 * - Sentence pairs run over the concatenated `[CLS] a [SEP] b [SEP]` sequence; the paper's
 *   siamese pair model ([h1, h2, h1∘h2, |h1-h2|]) is not implemented.
 * - `pooling: "max"` (max over time of the BiLSTM outputs) is offered besides "last".
 * - Padding is handled by masking: state updates are skipped on padded positions, so the forward
 *   direction's final state is the state at the last real token and the backward direction starts
 *   at the last real token, whatever the padding.
 *
 * Parameters use PyTorch names (`embedding.weight`, `lstm.weight_ih_l0[_reverse]`,
 * `lstm.weight_hh_l0[_reverse]`, `lstm.bias_ih_l0[_reverse]`, `lstm.bias_hh_l0[_reverse]`,
 * `fc1.*`, `classifier.*`), gate order i, f, g, o as `nn.LSTM`; weights stored [in, out]
 * internally (PyTorch [out, in]). Both directions run in one recurrence with a block-diagonal
 * [2H, 8H] recurrent matrix (one 2-D matmul per gate and step instead of a slow batched one), as
 * one op with hand-written BPTT (`_lstm_sequence.ts`).
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { EncodedBatch } from "../data/mod.ts";
import { Prng } from "../random/mod.ts";
import type { Classifier, ForwardOptions, ModelOutput } from "./types.ts";
import { wordVectors } from "./word_replacement.ts";
import { dropout, embeddingLookup, linear, tidy } from "./_ops.ts";
import { lstmSequence } from "./_lstm_sequence.ts";
import {
  countElements,
  createParams,
  disposeParams,
  paramGetter,
  type ParamSpec,
} from "./_params.ts";

export const biLstmConfigSchema = z.object({
  vocab_size: z.number().int().positive(),
  embedding_dim: z.number().int().positive().default(300),
  hidden_size: z.number().int().positive().default(150),
  fc_hidden: z.number().int().positive().default(400),
  num_labels: z.number().int().positive().default(2),
  pooling: z.enum(["last", "max"]).default("last"),
  dropout: z.number().min(0).lt(1).default(0.1),
  pad_token_id: z.number().int().nonnegative().default(0),
  max_position_embeddings: z.number().int().positive().default(512),
});
export type BiLstmConfig = z.output<typeof biLstmConfigSchema>;
export type BiLstmConfigInput = z.input<typeof biLstmConfigSchema>;

export function parseBiLstmConfig(raw: unknown, where = "BiLSTM config"): BiLstmConfig {
  const parsed = biLstmConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new TypeError(`Invalid ${where}: ${issues.join("; ")}`);
  }
  return parsed.data;
}

const DIRS = ["", "_reverse"] as const;

export function biLstmParamSpecs(c: BiLstmConfig): ParamSpec[] {
  const H = c.hidden_size, E = c.embedding_dim;
  const k = 1 / Math.sqrt(H); // PyTorch nn.LSTM init: U(-1/sqrt(H), 1/sqrt(H))
  const specs: ParamSpec[] = [
    {
      name: "embedding.weight",
      shape: [c.vocab_size, E],
      init: { normal: 0.1 },
      zeroRow: c.pad_token_id,
    },
  ];
  for (const d of DIRS) {
    specs.push(
      { name: `lstm.weight_ih_l0${d}`, shape: [E, 4 * H], init: { uniform: k } },
      { name: `lstm.weight_hh_l0${d}`, shape: [H, 4 * H], init: { uniform: k } },
      { name: `lstm.bias_ih_l0${d}`, shape: [4 * H], init: { uniform: k } },
      { name: `lstm.bias_hh_l0${d}`, shape: [4 * H], init: { uniform: k } },
    );
  }
  const fcIn = 2 * H;
  specs.push(
    { name: "fc1.weight", shape: [fcIn, c.fc_hidden], init: { uniform: 1 / Math.sqrt(fcIn) } },
    { name: "fc1.bias", shape: [c.fc_hidden], init: { uniform: 1 / Math.sqrt(fcIn) } },
    {
      name: "classifier.weight",
      shape: [c.fc_hidden, c.num_labels],
      init: { uniform: 1 / Math.sqrt(c.fc_hidden) },
    },
    {
      name: "classifier.bias",
      shape: [c.num_labels],
      init: { uniform: 1 / Math.sqrt(c.fc_hidden) },
    },
  );
  return specs;
}

export class BiLstmClassifier implements Classifier {
  readonly kind = "bilstm";
  readonly config: BiLstmConfig;
  readonly params: Map<string, tf.Variable>;
  readonly #p: (name: string) => tf.Variable;

  constructor(config: BiLstmConfig, params: Map<string, tf.Variable>) {
    this.config = config;
    this.params = params;
    this.#p = paramGetter(params, "BiLstmClassifier");
    for (const spec of biLstmParamSpecs(config)) {
      const v = this.#p(spec.name);
      if (v.shape.join() !== spec.shape.join()) {
        throw new RangeError(
          `BiLstmClassifier: parameter ${spec.name} has shape [${v.shape}], ` +
            `expected [${spec.shape}]`,
        );
      }
    }
  }

  get numLabels(): number {
    return this.config.num_labels;
  }

  forward(batch: EncodedBatch, options: ForwardOptions = {}): ModelOutput {
    const { batchSize: B, seqLen: S } = batch;
    const c = this.config, H = c.hidden_size, E = c.embedding_dim;
    if (batch.inputIds.length !== B * S || batch.attentionMask.length !== B * S || B < 1 || S < 1) {
      throw new RangeError(
        `BiLstmClassifier: batch arrays must hold ${B} x ${S} entries ` +
          `(got ${batch.inputIds.length})`,
      );
    }
    for (let i = 0; i < batch.inputIds.length; i++) {
      const id = batch.inputIds[i];
      if (id < 0 || id >= c.vocab_size) {
        throw new RangeError(
          `BiLstmClassifier: inputIds[${i}] = ${id} is outside [0, ${c.vocab_size})`,
        );
      }
    }
    let rng: Prng | null = null;
    if (options.training && c.dropout > 0) {
      if (options.seed === undefined) {
        throw new RangeError("BiLstmClassifier.forward: training with dropout needs options.seed");
      }
      rng = Prng.fromSeed(options.seed);
    }
    // Time-major rows r = t*B + b. The backward direction runs on the time-reversed sequence.
    const fwdRows = new Int32Array(S * B), bwdRows = new Int32Array(S * B);
    const m = new Float32Array(S * B * 2 * H); // [S, B, 2H]
    for (let t = 0; t < S; t++) {
      for (let b = 0; b < B; b++) {
        const r = t * B + b;
        fwdRows[r] = b * S + t;
        bwdRows[r] = b * S + (S - 1 - t);
        m.fill(batch.attentionMask[b * S + t] ? 1 : 0, r * 2 * H, r * 2 * H + H);
        m.fill(batch.attentionMask[b * S + (S - 1 - t)] ? 1 : 0, r * 2 * H + H, (r + 1) * 2 * H);
      }
    }
    // Rows of Y viewed as [S*B*2, H] (row (t*B + b)*2 + dir) that hold position p of example b.
    const outF = new Int32Array(B * S), outB = new Int32Array(B * S);
    const lastF = new Int32Array(B), lastB = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      let first = -1, last = -1;
      for (let p = 0; p < S; p++) {
        outF[b * S + p] = (p * B + b) * 2;
        outB[b * S + p] = ((S - 1 - p) * B + b) * 2 + 1;
        if (batch.attentionMask[b * S + p]) {
          if (first < 0) first = p;
          last = p;
        }
      }
      // Final states: forward at the last real token, backward at the first (zero rows if none).
      lastF[b] = ((last < 0 ? 0 : last) * B + b) * 2;
      lastB[b] = ((S - 1 - (first < 0 ? 0 : first)) * B + b) * 2 + 1;
    }
    const p = this.#p;
    return tidy(() => {
      const ids = tf.tensor1d(batch.inputIds, "int32");
      const table = p("embedding.weight") as tf.Tensor2D;
      const emb = wordVectors(table, ids, options.wordReplacement); // [B*S, E]
      const x = dropout(emb, c.dropout, rng);
      const proj = (rows: Int32Array, d: string) =>
        tf.reshape(
          linear(
            embeddingLookup(x, tf.tensor1d(rows, "int32")),
            p(`lstm.weight_ih_l0${d}`),
            tf.add(p(`lstm.bias_ih_l0${d}`), p(`lstm.bias_hh_l0${d}`)),
          ),
          [S * B, 4, 1, H],
        ); // [S*B, 4, 1, H]
      const X = tf.reshape(tf.concat([proj(fwdRows, ""), proj(bwdRows, "_reverse")], 2), [
        S,
        B,
        8 * H,
      ]); // gate-major, [fwd | bwd] within a gate
      const zero = tf.zeros([H, 4, 1, H]);
      const wf = tf.reshape(p("lstm.weight_hh_l0"), [H, 4, 1, H]);
      const wb = tf.reshape(p("lstm.weight_hh_l0_reverse"), [H, 4, 1, H]);
      const W = tf.concat([
        tf.reshape(tf.concat([wf, zero], 2), [H, 8 * H]),
        tf.reshape(tf.concat([zero, wb], 2), [H, 8 * H]),
      ], 0) as tf.Tensor2D; // [2H, 8H] block diagonal
      const Y = lstmSequence(X as tf.Tensor3D, W, tf.tensor3d(m, [S, B, 2 * H])); // [S, B, 2H]
      const yRows = tf.reshape(Y, [S * B * 2, H]);
      const take = (rows: Int32Array) => embeddingLookup(yRows, tf.tensor1d(rows, "int32"));
      const lstmOut = tf.reshape(tf.concat([take(outF), take(outB)], 1), [
        B,
        S,
        2 * H,
      ]) as tf.Tensor3D; // [B, S, 2H]
      let sentence: tf.Tensor2D; // [B, 2H]
      if (c.pooling === "last") {
        sentence = tf.concat([take(lastF), take(lastB)], 1) as tf.Tensor2D;
      } else {
        const pad = new Float32Array(B * S).map((_, i) => (batch.attentionMask[i] ? 0 : -1e9));
        sentence = tf.max(tf.add(lstmOut, tf.tensor3d(pad, [B, S, 1])), 1) as tf.Tensor2D;
      }
      const hidden = tf.relu(
        linear(dropout(sentence, c.dropout, rng), p("fc1.weight"), p("fc1.bias")),
      );
      const logits = linear(
        dropout(hidden, c.dropout, rng),
        p("classifier.weight"),
        p("classifier.bias"),
      ) as tf.Tensor2D;
      const out: ModelOutput = {
        logits,
        hidden: options.outputHidden ? [tf.reshape(emb, [B, S, E]) as tf.Tensor3D, lstmOut] : [],
      };
      return out;
    });
  }

  countParams(): number {
    return countElements(this.params);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}

export function createBiLstmClassifier(
  config: BiLstmConfigInput | BiLstmConfig,
  options: { seed?: number } = {},
): BiLstmClassifier {
  const cfg = parseBiLstmConfig(config);
  return new BiLstmClassifier(
    cfg,
    createParams(biLstmParamSpecs(cfg), { seed: options.seed ?? 0, std: 0.1 }),
  );
}
