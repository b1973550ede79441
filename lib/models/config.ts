/**
 * BERT configuration with Hugging Face's field names (`config.json` of BertConfig), validated
 * with zod where it enters (files, notebooks, search). Unknown HF keys (architectures,
 * model_type, id2label, torch_dtype, ...) are accepted and dropped.
 */
import { z } from "zod";

const posInt = z.number().int().positive();
const prob = z.number().min(0).lt(1);

export const bertConfigSchema = z
  .object({
    vocab_size: posInt,
    hidden_size: posInt,
    num_hidden_layers: z.number().int().nonnegative(),
    num_attention_heads: posInt,
    intermediate_size: posInt,
    hidden_act: z.enum(["gelu", "gelu_new", "relu"]).default("gelu"),
    max_position_embeddings: posInt.default(512),
    type_vocab_size: posInt.default(2),
    layer_norm_eps: z.number().positive().default(1e-12),
    hidden_dropout_prob: prob.default(0.1),
    attention_probs_dropout_prob: prob.default(0.1),
    classifier_dropout: prob.nullable().default(null),
    num_labels: posInt.default(2),
    pad_token_id: z.number().int().nonnegative().default(0),
    initializer_range: z.number().positive().default(0.02),
    position_embedding_type: z.literal("absolute").default("absolute"),
    /**
     * Project extension (not an HF BertConfig field; HF ignores it): what the pooler reads.
     * "cls" (default) is HF's BertForSequenceClassification, the hidden state of [CLS]; "mean" is
     * the mean of the last layer over real (non-padding) tokens, which a small BERT trained
     * without web-scale pretraining learns faster from (data/teachers/README.md). A "mean"
     * checkpoint exported to HF would be pooled from [CLS] there: same weights, other outputs.
     */
    pooling: z.enum(["cls", "mean"]).default("cls"),
    /**
     * ALBERT-style factorised word embeddings (ALBERT's field name; not an HF BertConfig field):
     * when set and different from hidden_size, the word table is [vocab, embedding_size] and a
     * projection `bert.embeddings.word_embeddings_projection` (weight [E, hidden], bias) maps a
     * looked-up word to the hidden width before position and token-type embeddings are added.
     * Deviation from ALBERT, which also keeps position/type embeddings and their LayerNorm at E.
     * Classifier only (the MLM decoder is tied to a [vocab, hidden] table). null = hidden_size.
     */
    embedding_size: posInt.nullable().default(null),
  })
  .refine((c) => c.hidden_size % c.num_attention_heads === 0, {
    message: "hidden_size must be divisible by num_attention_heads",
    path: ["hidden_size"],
  })
  .refine((c) => c.pad_token_id < c.vocab_size, {
    message: "pad_token_id must be < vocab_size",
    path: ["pad_token_id"],
  });

export type BertConfig = z.output<typeof bertConfigSchema>;

/** The word-embedding width: `embedding_size` when factorised, else `hidden_size`. */
export function wordEmbeddingSize(c: BertConfig): number {
  return c.embedding_size ?? c.hidden_size;
}

/** True when the word table is factorised (a projection to hidden_size follows the lookup). */
export function isFactorised(c: BertConfig): boolean {
  return wordEmbeddingSize(c) !== c.hidden_size;
}
export type BertConfigInput = z.input<typeof bertConfigSchema>;

/**
 * Validates a config (HF `config.json` contents or a hand-written object). When `num_labels` is
 * absent but `id2label` is present (as HF writes it), the label count comes from `id2label`.
 * `where` names the source in errors.
 */
export function parseBertConfig(raw: unknown, where = "BERT config"): BertConfig {
  let input = raw;
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    if (r.num_labels === undefined && r.id2label && typeof r.id2label === "object") {
      input = { ...r, num_labels: Object.keys(r.id2label as object).length };
    }
  }
  const parsed = bertConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new TypeError(`Invalid ${where}: ${issues.join("; ")}`);
  }
  return parsed.data;
}
