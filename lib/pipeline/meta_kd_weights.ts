/**
 * Meta-KD's example weights from a model (issue 19): every example of every domain through the
 * model once (inference), its representation = the mean last-layer token state without [CLS] and
 * padding (lib/distill `meanTokenState`, the re-implementation's; a masked LM without a
 * classifier head works too, through its encoder), then lib/distill's
 * transferability weights and the domain similarity matrix. Batched, tensors disposed per batch.
 */
import * as tf from "@tensorflow/tfjs";
import { type BertTokenizer, bucketBatches, type Example } from "../data/mod.ts";
import { meanTokenState, type Transferability, transferabilityWeights } from "../distill/mod.ts";
import { BertModel, type Classifier } from "../models/mod.ts";

/** One representation per example, in input order. */
export function exampleRepresentations(
  model: Classifier,
  examples: readonly Example[],
  tokenizer: BertTokenizer,
  maxLength: number,
): Float32Array[] {
  const out: Float32Array[] = new Array(examples.length);
  for (
    const b of bucketBatches(examples as Example[], tokenizer, {
      batchSize: 64,
      maxLength,
      shuffle: false,
    })
  ) {
    const rows = tf.tidy(() => {
      // an encoder without a classifier head (a masked LM) gives its hidden states directly
      const o = model instanceof BertModel && !model.heads.classifier
        ? { logits: tf.zeros([b.batchSize, 1]) as tf.Tensor2D, hidden: model.encode(b).hidden }
        : model.forward(b, { training: false, outputHidden: true });
      return meanTokenState(o, b);
    });
    const data = rows.dataSync() as Float32Array, width = rows.shape[1];
    b.indices.forEach((i, r) => (out[i] = data.slice(r * width, (r + 1) * width)));
    rows.dispose();
  }
  return out;
}

/** Transferability of every example of `byDomain` (domain k = its index), in concatenated order. */
export function metaKdWeights(
  model: Classifier,
  byDomain: readonly (readonly Example[])[],
  tokenizer: BertTokenizer,
  maxLength: number,
): Transferability & { domains: number[] } {
  const all = byDomain.flat();
  const domains = byDomain.flatMap((xs, d) => xs.map(() => d));
  const reps = exampleRepresentations(model, all, tokenizer, maxLength);
  return { ...transferabilityWeights(reps, domains), domains };
}
