import * as tf from "@tensorflow/tfjs";
import { geluErf } from "../../models/mod.ts";
import { linear } from "./linear.ts";

/** GELU, exact erf form (as BERT): x * Phi(x); lib/models' definition (fused on wasm). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return geluErf(x);
}

/**
 * Position-wise feed-forward: Linear h -> rh, GELU (or ReLU), Linear rh -> h.
 * x: [batch, seq, hidden].
 */
export function feedForward(
  x: tf.Tensor3D,
  w1: tf.Tensor,
  b1: tf.Tensor,
  w2: tf.Tensor,
  b2: tf.Tensor,
  activation: "gelu" | "relu" = "gelu",
): tf.Tensor3D {
  const h = linear(x, w1, b1);
  const a = activation === "relu" ? tf.relu(h) : gelu(h);
  return linear(a, w2, b2) as tf.Tensor3D; // [batch, seq, hidden]
}
