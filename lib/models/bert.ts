/**
 * A BERT-compatible encoder (Devlin et al. 2019) with a sequence-classification head
 * (pooler tanh on [CLS] + classifier, as HF `BertForSequenceClassification`) and/or a masked-LM
 * head (HF `BertForMaskedLM`, decoder tied to the word embeddings). One class, heads chosen at
 * creation: `createBertClassifier`, `createBertForMaskedLM`, or `createBert` with both.
 *
 * Parameters: a flat `Map<string, tf.Variable>` named exactly like HF's state dict; linear
 * weights are stored [in, out] (HF stores [out, in]; `_layout.ts` converts on import/export).
 * Attention mask: additive -1e9 on padded keys. Dropout: on when `training`, masks seeded from
 * `options.seed` (required when training with a non-zero dropout rate).
 * Deviations from HF: `hidden` in the output is empty unless `outputHidden` is set; the config's
 * project-only `pooling: "mean"` pools the mean of real tokens instead of [CLS] (config.ts).
 *
 * Measured (experiments/bench/models_forward.ts, wasm + lib/backend fixes, 1 thread, batch
 * 32 x 64, vocab 30,522, dropout 0.1): L4 H256 A4 F1024 (11.2M params) forward 575 ms,
 * forward+backward 2.3 s; L4 H128 A2 F512 (4.8M) forward 185 ms, forward+backward 0.8 s. Linear
 * layers run at the XNNPACK roofline (~32 GFLOP/s); dropout masks cost ~180 ms per training
 * forward at the larger size (JS sfc32).
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import { Prng } from "../random/mod.ts";
import type { Classifier, ForwardOptions, ModelOutput } from "./types.ts";
import {
  type BertConfig,
  type BertConfigInput,
  isFactorised,
  parseBertConfig,
  wordEmbeddingSize,
} from "./config.ts";
import { dropout, embeddingLookup, linear, tidy } from "./_ops.ts";
import { checkBatch } from "./embeddings.ts";
import { bertEncoder, type EncoderOutput } from "./encoder.ts";
import { mlmHead } from "./mlm_head.ts";
import {
  countElements,
  createParams,
  disposeParams,
  paramGetter,
  type ParamSpec,
} from "./_params.ts";

export interface BertHeads {
  /** Pooler + classifier (default true for createBert). */
  classifier?: boolean;
  /** Masked-LM head (default false). */
  mlm?: boolean;
}

export interface BertForwardOptions extends ForwardOptions {
  /** Replaces the word-embedding lookup: [batch, seq, hidden] (e.g. one-hot · word embeddings). */
  inputsEmbeds?: tf.Tensor3D;
}

/** Parameter specs in HF state-dict order, internal shapes ([in, out] for linear weights). */
export function bertParamSpecs(config: BertConfig, heads: Required<BertHeads>): ParamSpec[] {
  const h = config.hidden_size, f = config.intermediate_size;
  const dense = (name: string, inDim: number, outDim: number): ParamSpec[] => [
    { name: `${name}.weight`, shape: [inDim, outDim], init: "normal" },
    { name: `${name}.bias`, shape: [outDim], init: "zeros" },
  ];
  const ln = (name: string): ParamSpec[] => [
    { name: `${name}.weight`, shape: [h], init: "ones" },
    { name: `${name}.bias`, shape: [h], init: "zeros" },
  ];
  const specs: ParamSpec[] = [
    {
      name: "bert.embeddings.word_embeddings.weight",
      shape: [config.vocab_size, wordEmbeddingSize(config)],
      init: "normal",
      zeroRow: config.pad_token_id,
    },
    ...(isFactorised(config)
      ? dense("bert.embeddings.word_embeddings_projection", wordEmbeddingSize(config), h)
      : []),
    {
      name: "bert.embeddings.position_embeddings.weight",
      shape: [config.max_position_embeddings, h],
      init: "normal",
    },
    {
      name: "bert.embeddings.token_type_embeddings.weight",
      shape: [config.type_vocab_size, h],
      init: "normal",
    },
    ...ln("bert.embeddings.LayerNorm"),
  ];
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const l = `bert.encoder.layer.${i}`;
    specs.push(
      ...dense(`${l}.attention.self.query`, h, h),
      ...dense(`${l}.attention.self.key`, h, h),
      ...dense(`${l}.attention.self.value`, h, h),
      ...dense(`${l}.attention.output.dense`, h, h),
      ...ln(`${l}.attention.output.LayerNorm`),
      ...dense(`${l}.intermediate.dense`, h, f),
      ...dense(`${l}.output.dense`, f, h),
      ...ln(`${l}.output.LayerNorm`),
    );
  }
  if (heads.classifier) {
    specs.push(...dense("bert.pooler.dense", h, h), ...dense("classifier", h, config.num_labels));
  }
  if (heads.mlm) {
    specs.push(
      ...dense("cls.predictions.transform.dense", h, h),
      ...ln("cls.predictions.transform.LayerNorm"),
      { name: "cls.predictions.bias", shape: [config.vocab_size], init: "zeros" },
    );
  }
  return specs;
}

export class BertModel implements Classifier {
  readonly kind = "bert";
  readonly config: BertConfig;
  readonly params: Map<string, tf.Variable>;
  readonly heads: Readonly<Required<BertHeads>>;
  readonly #p: (name: string) => tf.Variable;

  constructor(config: BertConfig, params: Map<string, tf.Variable>, heads: Required<BertHeads>) {
    if (heads.mlm && isFactorised(config)) {
      throw new RangeError(
        "BertModel: the masked-LM head is tied to a [vocab, hidden] word table; " +
          `embedding_size ${config.embedding_size} != hidden_size ${config.hidden_size} ` +
          "(factorised embeddings are for classifiers)",
      );
    }
    this.config = config;
    this.params = params;
    this.heads = { ...heads };
    this.#p = paramGetter(params, "BertModel");
    for (const spec of bertParamSpecs(config, heads)) {
      const v = this.#p(spec.name);
      if (v.shape.join() !== spec.shape.join()) {
        throw new RangeError(
          `BertModel: parameter ${spec.name} has shape [${v.shape}], expected [${spec.shape}] ` +
            "(internal [in, out] layout)",
        );
      }
    }
  }

  get numLabels(): number {
    return this.config.num_labels;
  }

  /**
   * The word-embedding table [vocab, hidden] ([vocab, embedding_size] when factorised; shared
   * with the MLM decoder).
   */
  get wordEmbeddings(): tf.Variable {
    return this.#p("bert.embeddings.word_embeddings.weight");
  }

  #seeds(options: ForwardOptions): Prng | null {
    if (!options.training) return null;
    const c = this.config;
    const anyDropout = c.hidden_dropout_prob > 0 || c.attention_probs_dropout_prob > 0 ||
      (c.classifier_dropout ?? 0) > 0;
    if (!anyDropout) return null;
    if (options.seed === undefined) {
      throw new RangeError(
        "BertModel.forward: training with dropout needs options.seed (a fresh seed per step)",
      );
    }
    return Prng.fromSeed(options.seed);
  }

  #encode(
    batch: EncodedBatch,
    options: BertForwardOptions,
    wantProbs: boolean,
    rng = this.#seeds(options),
  ): EncoderOutput {
    checkBatch(batch, this.config);
    return bertEncoder(this.#p, this.config, batch, {
      inputsEmbeds: options.inputsEmbeds,
      wordReplacement: options.wordReplacement,
      rng,
      wantProbs,
    });
  }

  forward(batch: EncodedBatch, options: BertForwardOptions = {}): ModelOutput {
    if (!this.heads.classifier) {
      throw new TypeError(
        "BertModel.forward needs the classifier head; this model was built with heads " +
          JSON.stringify(this.heads),
      );
    }
    return tidy(() => {
      const rng = this.#seeds(options);
      const enc = this.#encode(batch, options, !!options.outputAttentions, rng);
      const { batchSize: b } = batch;
      const h = this.config.hidden_size;
      const summary = this.config.pooling === "mean"
        ? maskedMean(enc.last, batch)
        : embeddingLookup(
          tf.reshape(enc.last, [-1, h]),
          // [CLS] rows
          tf.tensor1d(Int32Array.from({ length: b }, (_, i) => i * batch.seqLen), "int32"),
        ); // [b, h]
      const pooled = tf.tanh(
        linear(summary, this.#p("bert.pooler.dense.weight"), this.#p("bert.pooler.dense.bias")),
      ); // [b, h]
      const rate = this.config.classifier_dropout ?? this.config.hidden_dropout_prob;
      const logits = linear(
        dropout(pooled, rate, rng),
        this.#p("classifier.weight"),
        this.#p("classifier.bias"),
      ) as tf.Tensor2D; // [b, labels]
      const out: ModelOutput = { logits, hidden: options.outputHidden ? enc.hidden : [] };
      if (options.outputAttentions) out.attentions = enc.attentions;
      return out;
    });
  }

  /** Encoder hidden states only (embedding output + every layer), no head. */
  encode(
    batch: EncodedBatch,
    options: BertForwardOptions = {},
  ): { hidden: tf.Tensor3D[]; attentions?: tf.Tensor4D[] } {
    return tidy(() => {
      const enc = this.#encode(batch, options, !!options.outputAttentions);
      return options.outputAttentions
        ? { hidden: enc.hidden, attentions: enc.attentions }
        : { hidden: enc.hidden };
    });
  }

  #needMlm(what: string): void {
    if (!this.heads.mlm) {
      throw new TypeError(
        `BertModel.${what} needs the MLM head; this model was built with heads ${
          JSON.stringify(this.heads)
        }`,
      );
    }
  }

  /** Masked-LM logits at every position: [batch, seq, vocab]. */
  mlmLogits(batch: EncodedBatch, options: BertForwardOptions = {}): tf.Tensor3D {
    this.#needMlm("mlmLogits");
    return tf.tidy(() => mlmHead(this.#p, this.config, this.#encode(batch, options, false).last));
  }

  /**
   * Masked-LM logits only at the given flat positions (`row * seqLen + col`): [n, vocab].
   * The vocabulary projection (the costly part) runs on n rows instead of batch·seq.
   */
  mlmLogitsAt(
    batch: EncodedBatch,
    positions: ArrayLike<number>,
    options: BertForwardOptions = {},
  ): tf.Tensor2D {
    this.#needMlm("mlmLogitsAt");
    const total = batch.batchSize * batch.seqLen;
    const pos = Int32Array.from(positions as ArrayLike<number>);
    for (let i = 0; i < pos.length; i++) {
      if (!(pos[i] >= 0 && pos[i] < total)) {
        throw new RangeError(
          `mlmLogitsAt: positions[${i}] = ${positions[i]} is outside [0, ${total})`,
        );
      }
    }
    return tidy(() => {
      const last = this.#encode(batch, options, false).last; // [b, s, h]
      const flat = tf.reshape(last, [total, this.config.hidden_size]); // [b*s, h]
      const picked = embeddingLookup(flat, tf.tensor1d(pos, "int32")); // [n, h]
      return mlmHead(this.#p, this.config, picked) as tf.Tensor2D; // [n, vocab]
    });
  }

  countParams(): number {
    return countElements(this.params);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}

export interface CreateBertOptions {
  /** Seed for the initial values (default 0). */
  seed?: number;
  /** Heads to build (default classifier only). */
  heads?: BertHeads;
}

/** A freshly initialised BERT (HF init: normal(0, initializer_range), zero biases, LN 1/0). */
export function createBert(
  config: BertConfigInput | BertConfig,
  options: CreateBertOptions = {},
): BertModel {
  const cfg = parseBertConfig(config);
  const heads = { classifier: options.heads?.classifier ?? true, mlm: options.heads?.mlm ?? false };
  const params = createParams(bertParamSpecs(cfg, heads), {
    seed: options.seed ?? 0,
    std: cfg.initializer_range,
  });
  return new BertModel(cfg, params, heads);
}

export function createBertClassifier(
  config: BertConfigInput | BertConfig,
  options: { seed?: number } = {},
): BertModel {
  return createBert(config, { seed: options.seed, heads: { classifier: true, mlm: false } });
}

export function createBertForMaskedLM(
  config: BertConfigInput | BertConfig,
  options: { seed?: number } = {},
): BertModel {
  return createBert(config, { seed: options.seed, heads: { classifier: false, mlm: true } });
}

/** Mean of `last` [b, seq, h] over each row's real tokens (attention mask 1): [b, h]. */
function maskedMean(last: tf.Tensor3D, batch: EncodedBatch): tf.Tensor2D {
  const { batchSize: b, seqLen: s, attentionMask } = batch;
  const weights = new Float32Array(b * s);
  for (let i = 0; i < b; i++) {
    let real = 0;
    for (let t = 0; t < s; t++) real += attentionMask[i * s + t];
    for (let t = 0; t < s; t++) weights[i * s + t] = attentionMask[i * s + t] / Math.max(real, 1);
  }
  // [b, 1, seq] x [b, seq, h] -> [b, 1, h]: one batched matmul instead of mask, sum and divide.
  const w = tf.tensor3d(weights, [b, 1, s]);
  return tf.reshape(tf.matMul(w, last), [b, last.shape[2]]) as tf.Tensor2D;
}
