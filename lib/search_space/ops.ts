/**
 * The candidate operations of a cell node (our default set, METHODS.md "RoSearch"): AdaBERT's
 * convolution / pooling / identity / zero family plus the Transformer's own attention and
 * feed-forward. Pure data: the builder (`build.ts`) maps each name to tfjs code in `_ops/`.
 *
 * Parameter conventions (H = hiddenSize):
 * - `attn_h`: multi-head self-attention with h heads, Q/K/V/O projections H x H with bias.
 * - `ffn_r`: Linear H -> rH, GELU (erf form), Linear rH -> H.
 * - `conv_k`: depthwise-separable 1-D convolution, "same" padding along the sequence:
 *   depthwise kernel k (no bias), pointwise H x H with bias, then ReLU (DARTS/AdaBERT sep_conv
 *   without BatchNorm). Chosen over a full k x H x H convolution because it trains on wasm (no
 *   Conv2DBackpropFilter kernel there), runs 2-3x faster forward and costs kH + H^2 parameters
 *   instead of kH^2 (see `experiments/bench/conv_ops.ts`).
 * - `dilconv_k`: the same with dilation 2.
 * - `maxpool_3` / `avgpool_3`: window 3, stride 1, "same"; padding tokens excluded.
 * - `identity`, `zero`.
 */
export const OP_NAMES = [
  "attn_2",
  "attn_4",
  "ffn_1",
  "ffn_2",
  "ffn_4",
  "conv_3",
  "conv_5",
  "conv_7",
  "dilconv_3",
  "dilconv_5",
  "dilconv_7",
  "maxpool_3",
  "avgpool_3",
  "identity",
  "zero",
] as const;

export type OpName = typeof OP_NAMES[number];

export type OpSpec =
  | { kind: "attention"; heads: number }
  | { kind: "ffn"; ratio: number }
  | { kind: "conv"; kernel: number; dilation: number }
  | { kind: "pool"; mode: "max" | "avg"; window: number }
  | { kind: "identity" }
  | { kind: "zero" };

export const OP_SPECS: Readonly<Record<OpName, OpSpec>> = {
  attn_2: { kind: "attention", heads: 2 },
  attn_4: { kind: "attention", heads: 4 },
  ffn_1: { kind: "ffn", ratio: 1 },
  ffn_2: { kind: "ffn", ratio: 2 },
  ffn_4: { kind: "ffn", ratio: 4 },
  conv_3: { kind: "conv", kernel: 3, dilation: 1 },
  conv_5: { kind: "conv", kernel: 5, dilation: 1 },
  conv_7: { kind: "conv", kernel: 7, dilation: 1 },
  dilconv_3: { kind: "conv", kernel: 3, dilation: 2 },
  dilconv_5: { kind: "conv", kernel: 5, dilation: 2 },
  dilconv_7: { kind: "conv", kernel: 7, dilation: 2 },
  maxpool_3: { kind: "pool", mode: "max", window: 3 },
  avgpool_3: { kind: "pool", mode: "avg", window: 3 },
  identity: { kind: "identity" },
  zero: { kind: "zero" },
};

/** Trainable parameters of one node with this op at hidden size `h`. */
export function opParams(op: OpName, h: number): number {
  const s = OP_SPECS[op];
  switch (s.kind) {
    case "attention":
      return 4 * (h * h + h);
    case "ffn":
      return 2 * s.ratio * h * h + s.ratio * h + h;
    case "conv":
      return s.kernel * h + h * h + h;
    default:
      return 0;
  }
}

/**
 * Forward multiply-adds of one node for ONE sequence of `seqLen` tokens (every position
 * counted, padding included). Convention: only the multiply-adds of matrix products and
 * convolutions (including the depthwise taps and attention's QK^T and PV products) count;
 * additions of node sums, biases, norms, softmax, activations, pooling and masking do not.
 */
export function opMacs(op: OpName, h: number, seqLen: number): number {
  const s = OP_SPECS[op];
  switch (s.kind) {
    case "attention":
      return 4 * seqLen * h * h + 2 * seqLen * seqLen * h;
    case "ffn":
      return 2 * s.ratio * seqLen * h * h;
    case "conv":
      return seqLen * s.kernel * h + seqLen * h * h;
    default:
      return 0;
  }
}
