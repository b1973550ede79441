/**
 * The distillation objective as plain data: logit losses plus layer matches, validated with
 * zod where it enters (config files, notebook cells), then checked against the models' depths.
 *
 * Layer numbering (the `ModelOutput.hidden` convention): 0 is the embedding output, 1..L the
 * outputs of the L encoder layers. Feature "attention" uses layer l ∈ 1..L (the attention map
 * inside layer l, `attentions[l − 1]`); "hidden" and "cls" use 0..L ("cls" is position 0 of
 * the hidden state, as in BERT-PKD).
 *
 * Allowed (feature, loss) pairs: hidden × {mse (TinyBERT), cosine (DistilBERT)},
 * attention × {mse (TinyBERT)}, cls × {mse, cosine, pkd (BERT-PKD)}.
 */
import { z } from "zod";

export type Feature = "hidden" | "attention" | "cls";
export type MatchLoss = "mse" | "cosine" | "pkd";

export interface LayerMatch {
  teacherLayer: number;
  studentLayer: number;
  feature: Feature;
  loss: MatchLoss;
  weight: number;
}

export interface Objective {
  /** Soft-target KL on logits (Hinton): weight and temperature. */
  kl: { weight: number; temperature: number };
  /** Cross-entropy with the gold labels. */
  ce: { weight: number };
  /** Cross-entropy with soft targets (MATE-KD); off when weight is 0. */
  softCE: { weight: number; temperature: number };
  layers: LayerMatch[];
}

export const ALLOWED_LOSSES: Record<Feature, MatchLoss[]> = {
  hidden: ["mse", "cosine"],
  attention: ["mse"],
  cls: ["mse", "cosine", "pkd"],
};

const weight = z.number().finite().nonnegative();
const layerIndex = z.number().int().nonnegative();

const layerMatchSchema = z.object({
  teacherLayer: layerIndex,
  studentLayer: layerIndex,
  feature: z.enum(["hidden", "attention", "cls"]),
  loss: z.enum(["mse", "cosine", "pkd"]),
  weight: weight.default(1),
}).strict().superRefine((m, ctx) => {
  if (!ALLOWED_LOSSES[m.feature].includes(m.loss)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["loss"],
      message: `loss "${m.loss}" is not allowed for feature "${m.feature}" (allowed: ${
        ALLOWED_LOSSES[m.feature].join(", ")
      })`,
    });
  }
  if (m.feature === "attention" && m.teacherLayer === 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["teacherLayer"],
      message: "attention layers start at 1 (0 is the embeddings)",
    });
  }
  if (m.feature === "attention" && m.studentLayer === 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["studentLayer"],
      message: "attention layers start at 1 (0 is the embeddings)",
    });
  }
});

const temperature = z.number().finite().positive();

/** The zod schema; defaults: kl {1, T=1}, ce {0}, softCE {0, T=1}, layers []. */
export const objectiveSchema = z.object({
  kl: z.object({ weight: weight.default(1), temperature: temperature.default(1) }).strict().default(
    {},
  ),
  ce: z.object({ weight: weight.default(0) }).strict().default({}),
  softCE: z.object({ weight: weight.default(0), temperature: temperature.default(1) }).strict()
    .default({}),
  layers: z.array(layerMatchSchema).default([]),
}).strict();

export type ObjectiveInput = z.input<typeof objectiveSchema>;

/** Validates outside data into an Objective; the error lists every problem with its path. */
export function parseObjective(input: unknown): Objective {
  const r = objectiveSchema.safeParse(input ?? {});
  if (!r.success) {
    const lines = r.error.issues.map((i) =>
      `  ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`
    );
    throw new TypeError(`Invalid distillation objective:\n${lines.join("\n")}`);
  }
  return r.data as Objective;
}

export interface Depths {
  /** Number of encoder layers L_T (hidden states 0..L_T). */
  teacherLayers: number;
  studentLayers: number;
  /** Teacher layers available when the teacher is a cache (hidden/cls only); all if absent. */
  teacherAvailable?: { layers: number[]; features: Feature[]; what: string };
}

/** Throws a RangeError naming the entry index and the valid range of the first bad entry. */
export function validateLayerMatches(layers: LayerMatch[], depths: Depths): void {
  layers.forEach((m, i) => {
    const lo = m.feature === "attention" ? 1 : 0;
    const note = lo === 0 ? " (0 = embeddings)" : " (attention maps live in layers 1..L)";
    if (m.teacherLayer < lo || m.teacherLayer > depths.teacherLayers) {
      throw new RangeError(
        `layers[${i}]: teacherLayer ${m.teacherLayer} is out of range ` +
          `for feature "${m.feature}": the teacher has ${depths.teacherLayers} layers, ` +
          `valid ${lo}..${depths.teacherLayers}${note}`,
      );
    }
    if (m.studentLayer < lo || m.studentLayer > depths.studentLayers) {
      throw new RangeError(
        `layers[${i}]: studentLayer ${m.studentLayer} is out of range ` +
          `for feature "${m.feature}": the student has ${depths.studentLayers} layers, ` +
          `valid ${lo}..${depths.studentLayers}${note}`,
      );
    }
    const avail = depths.teacherAvailable;
    if (avail) {
      if (!avail.features.includes(m.feature)) {
        throw new RangeError(
          `layers[${i}]: feature "${m.feature}" is not available from ${avail.what} ` +
            `(available: ${avail.features.join(", ") || "none"}); pass the teacher model instead`,
        );
      }
      if (!avail.layers.includes(m.teacherLayer)) {
        throw new RangeError(
          `layers[${i}]: teacherLayer ${m.teacherLayer} is not in ${avail.what} ` +
            `(cached layers: ${avail.layers.join(", ") || "none"})`,
        );
      }
    }
  });
}

export interface UniformMapOptions {
  /** Features to match; default ["hidden"]. */
  features?: Feature[];
  /** Loss per feature; defaults hidden: mse, attention: mse, cls: pkd. */
  losses?: Partial<Record<Feature, MatchLoss>>;
  /** Weight of every entry; default 1. */
  weight?: number;
  /** Match embeddings ↔ embeddings (layer 0) for "hidden"; default true. */
  includeEmbeddings?: boolean;
}

/**
 * TinyBERT's uniform mapping n = g(m) = m · N / M (Jiao et al. 2020, section 3.1), here
 * rounded to the nearest layer (halves up) so any depth works: student layer m ↔ teacher
 * layer round(m · N / M) for m = 1..M, and embeddings ↔ embeddings (0 ↔ 0) for "hidden".
 * N = 12, M = 4 gives 3, 6, 9, 12; M = 5 gives 2, 5, 7, 10, 12; a student deeper than the
 * teacher reuses teacher layers. The last student layer always meets the last teacher layer.
 */
export function uniformLayerMap(
  teacherLayers: number,
  studentLayers: number,
  options: UniformMapOptions = {},
): LayerMatch[] {
  for (
    const [name, v] of [["teacherLayers", teacherLayers], ["studentLayers", studentLayers]] as const
  ) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`uniformLayerMap: ${name} must be an integer ≥ 1, got ${v}`);
    }
  }
  const features = options.features ?? ["hidden"];
  const losses: Record<Feature, MatchLoss> = {
    hidden: "mse",
    attention: "mse",
    cls: "pkd",
    ...options.losses,
  };
  const weight = options.weight ?? 1;
  const out: LayerMatch[] = [];
  for (const feature of features) {
    if (!ALLOWED_LOSSES[feature]?.includes(losses[feature])) {
      throw new RangeError(
        `uniformLayerMap: loss "${losses[feature]}" is not allowed for feature "${feature}" ` +
          `(allowed: ${
            ALLOWED_LOSSES[feature]?.join(", ") ?? "features are hidden, attention, cls"
          })`,
      );
    }
    const start = feature === "hidden" && (options.includeEmbeddings ?? true) ? 0 : 1;
    for (let m = start; m <= studentLayers; m++) {
      const n = Math.round((m * teacherLayers) / studentLayers);
      out.push({ teacherLayer: n, studentLayer: m, feature, loss: losses[feature], weight });
    }
  }
  return out;
}
