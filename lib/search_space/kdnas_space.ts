/**
 * KD-NAS's search space (Trivedi et al. 2023, v1; METHODS.md): a BERT-style student described by
 * its number of layers, attention heads, hidden size, feed-forward (intermediate) size and
 * activation, as the third-party re-implementations describe it. It is expressed in RoSearch's
 * genome language so that both methods share one builder (`buildStudent`), one parameter/FLOP
 * count (`countParams`, `countFlops`) and one latency probe (`measureLatency`): a BERT layer is
 * two cells of one node each, `LN(x + attn_h(x))` then `LN(y + ffn_r(y))` (the cell semantics in
 * types.ts are BERT's post-LN residual blocks).
 *
 * Ours (the paper gives no numbers for its space): choices scaled to the 4 x 256 teacher — layers
 * 1-4, hidden 64/128/192/256, heads 2/4 (the attention ops of the shared op set), intermediate
 * size 1x/2x/4x hidden, GELU or ReLU; embeddings as wide as the hidden size (BERT's layout, no
 * factorisation).
 */
import type { Prng } from "../random/mod.ts";
import type { FfnActivation, Genome } from "./types.ts";
import type { OpName } from "./ops.ts";

export interface KdNasArch {
  layers: number;
  heads: number;
  hidden: number;
  /** Intermediate size as a multiple of `hidden`. */
  intermediate: number;
  activation: FfnActivation;
}

/** The values each choice may take (the controller embeds each value). */
export interface KdNasSpace {
  layers: number[];
  heads: number[];
  hidden: number[];
  intermediate: number[];
  activation: FfnActivation[];
}

export const KDNAS_CHOICES = ["layers", "heads", "hidden", "intermediate", "activation"] as const;
export type KdNasChoice = typeof KDNAS_CHOICES[number];

export const DEFAULT_KDNAS_SPACE: Readonly<KdNasSpace> = {
  layers: [1, 2, 3, 4],
  heads: [2, 4],
  hidden: [64, 128, 192, 256],
  intermediate: [1, 2, 4],
  activation: ["gelu", "relu"],
};

const HEAD_OPS: Record<number, OpName> = { 2: "attn_2", 4: "attn_4" };
const FFN_OPS: Record<number, OpName> = { 1: "ffn_1", 2: "ffn_2", 4: "ffn_4" };

/** Problems of `arch` against `space`, each naming its field; empty when valid. */
export function kdnasArchErrors(
  arch: KdNasArch,
  space: KdNasSpace = DEFAULT_KDNAS_SPACE,
): string[] {
  const errors: string[] = [];
  for (const c of KDNAS_CHOICES) {
    const allowed = space[c] as readonly unknown[];
    if (!allowed.includes(arch[c])) {
      errors.push(
        `${c}: ${JSON.stringify(arch[c])} is not allowed (allowed: ${allowed.join(", ")})`,
      );
    }
  }
  if (!HEAD_OPS[arch.heads]) errors.push(`heads: ${arch.heads} has no attention op (2 or 4)`);
  if (!FFN_OPS[arch.intermediate]) {
    errors.push(`intermediate: ${arch.intermediate} has no feed-forward op (1, 2 or 4)`);
  }
  if (arch.hidden % arch.heads !== 0) {
    errors.push(`hidden: ${arch.hidden} is not divisible by heads ${arch.heads}`);
  }
  return errors;
}

/** The RoSearch genome of a KD-NAS architecture (two one-node cells per BERT layer). */
export function kdnasGenome(arch: KdNasArch, space: KdNasSpace = DEFAULT_KDNAS_SPACE): Genome {
  const errors = kdnasArchErrors(arch, space);
  if (errors.length) throw new RangeError(`invalid KD-NAS architecture: ${errors.join("; ")}`);
  const cells = Array.from({ length: arch.layers }, () => [
    { nodes: [{ op: HEAD_OPS[arch.heads], inputs: ["in0" as const] }] },
    { nodes: [{ op: FFN_OPS[arch.intermediate], inputs: ["in0" as const] }] },
  ]).flat();
  return {
    embeddingSize: arch.hidden,
    hiddenSize: arch.hidden,
    cells,
    ...(arch.activation === "gelu" ? {} : { activation: arch.activation }),
  };
}

/** A uniform sample of the space (every choice independently). */
export function sampleKdNasArch(space: KdNasSpace, prng: Prng): KdNasArch {
  const pick = <T>(xs: readonly T[]): T => xs[prng.int(xs.length)];
  for (let tries = 0; tries < 100; tries++) {
    const arch: KdNasArch = {
      layers: pick(space.layers),
      heads: pick(space.heads),
      hidden: pick(space.hidden),
      intermediate: pick(space.intermediate),
      activation: pick(space.activation),
    };
    if (kdnasArchErrors(arch, space).length === 0) return arch;
  }
  throw new RangeError("sampleKdNasArch: no valid architecture in 100 samples; check the space");
}

/** The index of each choice's value in the space (what the controller embeds). */
export function kdnasChoiceIndices(arch: KdNasArch, space: KdNasSpace): number[] {
  return KDNAS_CHOICES.map((c) => (space[c] as readonly unknown[]).indexOf(arch[c]));
}

/** Number of distinct architectures of the space (for pool sizes and exhaustion checks). */
export function kdnasSpaceSize(space: KdNasSpace): number {
  return KDNAS_CHOICES.reduce((n, c) => n * space[c].length, 1);
}

/** e.g. `L4 H64 A4 I4x gelu`. */
export function describeKdNasArch(a: KdNasArch): string {
  return `L${a.layers} H${a.hidden} A${a.heads} I${a.intermediate}x ${a.activation}`;
}
