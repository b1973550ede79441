/**
 * The shapes of run files, validated with zod where they are read back (run.json, metric lines).
 * Non-finite metric values are stored as the strings "NaN", "Infinity", "-Infinity" (JSON has no
 * such numbers) and decoded back to numbers when read.
 */
import { z } from "zod";

export const RUN_STATUSES = ["running", "finished", "failed", "interrupted"] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

const RepairSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  action: z.enum(["dropped", "completed"]),
  bytes: z.number().int(),
});

export const HistoryEntrySchema = z.object({
  event: z.enum(["created", "resumed", "status", "finished"]),
  time: z.string(),
  status: RunStatusSchema,
  /** Status found in run.json when resuming ("running" means the previous process died). */
  previousStatus: RunStatusSchema.optional(),
  /** Git commit at resume time (the code may have changed since the run was created). */
  commit: z.string().optional(),
  /** Torn final lines removed (or completed) when resuming. */
  repairs: z.array(RepairSchema).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const RunInfoSchema = z.object({
  format: z.literal(1),
  experiment: z.string().min(1),
  runId: z.string().min(1),
  params: z.record(z.unknown()),
  seed: z.number().int(),
  git: z.object({ commit: z.string(), ref: z.string().nullable() }),
  versions: z.record(z.string()),
  backend: z.record(z.unknown()).nullable(),
  start: z.string().datetime(),
  end: z.string().datetime().nullable(),
  status: RunStatusSchema,
  summary: z.record(z.unknown()).nullable(),
  history: z.array(HistoryEntrySchema),
});
export type RunInfo = z.infer<typeof RunInfoSchema>;

export type ContextValue = string | number | boolean;
export type MetricContext = Record<string, ContextValue>;

export interface Metric {
  name: string;
  /** May be NaN or ±Infinity (a diverged loss). */
  value: number;
  /** Training step, epoch or candidate index; null when the caller gave none. */
  step: number | null;
  /** What the value is about, e.g. `{ split: "dev", attack: "textfooler" }`; `{}` if none. */
  context: MetricContext;
  /** ISO time the value was logged. */
  time: string;
}

const NON_FINITE = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity } as const;

export const MetricLineSchema = z.object({
  name: z.string().min(1),
  value: z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])])
    .transform((v) => typeof v === "number" ? v : NON_FINITE[v]),
  step: z.number().nullable(),
  context: z.record(z.union([z.string(), z.number(), z.boolean()])),
  time: z.string(),
});

/** The JSON form of a metric value (non-finite numbers as strings). */
export function encodeValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/** "field a.b: message; field c: message" from a zod error, for error texts. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `field "${i.path.join(".") || "(root)"}": ${i.message}`).join(
    "; ",
  );
}
