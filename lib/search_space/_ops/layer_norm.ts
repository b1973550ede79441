import type * as tf from "@tensorflow/tfjs";
import { layerNorm as sharedLayerNorm } from "../../models/mod.ts";

/**
 * LayerNorm over the last axis (eps 1e-12 as BERT). x: [..., h]; gamma, beta: [h]. The one
 * definition in lib/models (a fused kernel each way on wasm).
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-12): tf.Tensor {
  return sharedLayerNorm(x, gamma, beta, eps);
}
