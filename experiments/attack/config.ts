/**
 * The attack experiment's settings: parsed from the command line (validated with zod) and
 * stored in run.json's params, from where `--resume` reads them back.
 */
import { UsageError } from "../_shared/cli.ts";
import { z } from "zod";
import { DATASET_NAMES } from "../../lib/data/mod.ts";
import { RECIPE_NAMES } from "../../lib/robustness/mod.ts";

export const attackConfigSchema = z.object({
  /** Recipe names to run, in order. */
  recipes: z.array(z.enum(RECIPE_NAMES as [string, ...string[]])).min(1),
  /** `--model` as given ("teacher", a folder, a KD baseline name). */
  model: z.string().min(1),
  /** The checkpoint folder it resolved to. */
  modelDir: z.string().min(1),
  dataset: z.enum(DATASET_NAMES as unknown as [string, ...string[]]),
  n: z.number().int().positive(),
  seed: z.number().int().safe(),
  /** Queries per example; null = unlimited (TextAttack's default). */
  queryBudget: z.number().int().positive().nullable(),
  /** Teacher classifier folder: the attack embedding (or the fallback of `own`). */
  teacherDir: z.string().min(1),
  /**
   * Word embedding of the embedding-based constraints and swaps: `wordvec` (the project's
   * counter-fitted vectors, data/wordvec, for every victim, as TextAttack's fixed counter-fitted
   * vectors; the default since issue 12), `teacher` (the teacher's task-trained input table, the
   * default before) or `own` (the attacked model's table). Runs recorded before this field
   * existed used `own`.
   */
  embedding: z.enum(["wordvec", "teacher", "own"]).default("own"),
  /** Teacher masked LM folder: BAE. */
  mlmDir: z.string().min(1),
  /** Texts per goal-function call (TextAttack's model_batch_size). */
  batchSize: z.number().int().positive(),
});
export type AttackConfig = z.infer<typeof attackConfigSchema>;

/** `--recipe textfooler`, `--recipe pwws,bae` or `--recipe all`. */
export function parseRecipes(value: string): string[] {
  if (value === "all") return [...RECIPE_NAMES];
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(RECIPE_NAMES as readonly string[]).includes(n));
  if (names.length === 0 || bad.length > 0) {
    throw new RangeError(
      `--recipe ${JSON.stringify(value)}: unknown ${bad.join(", ") || "(empty)"}; valid: all, ${
        RECIPE_NAMES.join(", ")
      } (or several, comma-separated)`,
    );
  }
  return [...new Set(names)];
}

/** Validates a config (from flags or a run.json), naming the source in the error. */
export function parseAttackConfig(raw: unknown, where: string): AttackConfig {
  const r = attackConfigSchema.safeParse(raw);
  if (!r.success) {
    const E = where === "the command line" ? UsageError : TypeError;
    throw new E(
      `Invalid attack settings in ${where}: ${
        r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")
      }`,
    );
  }
  return r.data;
}
