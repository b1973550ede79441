import * as tf from "@tensorflow/tfjs";
import { addMacs } from "./macs.ts";

/**
 * `x W + b` over the last axis. Plain matMul without transpose flags (wasm's flagged
 * BatchMatMul is ~10x slower, ENVIRONMENT.md).
 */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const [inDim, outDim] = w.shape as [number, number];
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, d) => a * d, 1);
  addMacs(rows * inDim * outDim);
  let y = tf.matMul(tf.reshape(x, [rows, inDim]) as tf.Tensor2D, w as tf.Tensor2D); // [rows, out]
  if (b) y = tf.add(y, b);
  return tf.reshape(y, [...lead, outDim]);
}
