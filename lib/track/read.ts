/**
 * Reading runs back for notebooks and reports: `readRun`, `listRuns`, `metricSeries`.
 * Bad lines never stop a read: they are listed in `problems` as `file:line: reason`.
 */
import { join } from "node:path";
import { readJsonl } from "./_jsonl.ts";
import { readRunInfo } from "./_info.ts";
import { checkSegment } from "./_paths.ts";
import { METRICS_FILE, RECORDS_FILE, runDir, type RunRef } from "./run.ts";
import {
  describeZodError,
  type Metric,
  type MetricContext,
  MetricLineSchema,
  type RunInfo,
  type RunStatus,
} from "./schema.ts";

export interface RunData {
  dir: string;
  info: RunInfo;
  metrics: Metric[];
  /** The objects of records.jsonl, in file order. */
  records: Record<string, unknown>[];
  /** `file:line: reason` for unreadable lines and repeated record keys. */
  problems: string[];
}

/** Reads a whole run. Throws only if run.json is missing or malformed (naming the field). */
export function readRun(target: string | RunRef): RunData {
  const dir = typeof target === "string" ? target : runDir(target);
  const info = readRunInfo(dir);
  const problems: string[] = [];

  const metricsPath = join(dir, METRICS_FILE);
  const m = readJsonl(metricsPath);
  problems.push(...m.problems);
  const metrics: Metric[] = [];
  for (const { line, value } of m.lines) {
    const parsed = MetricLineSchema.safeParse(value);
    if (parsed.success) metrics.push(parsed.data);
    else problems.push(`${metricsPath}:${line}: not a metric (${describeZodError(parsed.error)})`);
  }

  const recordsPath = join(dir, RECORDS_FILE);
  const r = readJsonl(recordsPath);
  problems.push(...r.problems);
  const records: Record<string, unknown>[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, value } of r.lines) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${recordsPath}:${line}: not a JSON object`);
      continue;
    }
    const key = (value as { key?: unknown }).key;
    if (typeof key === "string") {
      const first = firstLine.get(key);
      if (first !== undefined) {
        problems.push(`${recordsPath}:${line}: key "${key}" repeats line ${first}`);
      } else firstLine.set(key, line);
    }
    records.push(value as Record<string, unknown>);
  }
  return { dir, info, metrics, records, problems };
}

export interface RunSummary {
  dir: string;
  experiment: string;
  runId: string;
  /** "unreadable" when run.json is missing or malformed (see `error`). */
  status: RunStatus | "unreadable";
  start: string | null;
  end: string | null;
  seed: number | null;
  params: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  error?: string;
}

export interface ListRunsOptions {
  /** Default "runs". */
  root?: string;
  /** Only this experiment; default all. */
  experiment?: string;
}

function subdirs(path: string): string[] {
  try {
    return [...Deno.readDirSync(path)].filter((e) => e.isDirectory).map((e) => e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** Summaries of the runs under `root`, oldest first (unreadable ones last). */
export function listRuns(options: ListRunsOptions = {}): RunSummary[] {
  const { root = "runs", experiment } = options;
  const experiments = experiment !== undefined
    ? [checkSegment("experiment", experiment)]
    : subdirs(root);
  const out: RunSummary[] = [];
  for (const exp of experiments) {
    for (const runId of subdirs(join(root, exp))) {
      const dir = join(root, exp, runId);
      try {
        const i = readRunInfo(dir);
        out.push({
          dir,
          experiment: i.experiment,
          runId: i.runId,
          status: i.status,
          start: i.start,
          end: i.end,
          seed: i.seed,
          params: i.params,
          summary: i.summary,
        });
      } catch (e) {
        out.push({
          dir,
          experiment: exp,
          runId,
          status: "unreadable",
          start: null,
          end: null,
          seed: null,
          params: {},
          summary: null,
          error: (e as Error).message,
        });
      }
    }
  }
  const key = (s: RunSummary) => s.start ?? "\uffff";
  return out.sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

export interface MetricPoint {
  /** The logged step, or the point's index in the series when no step was logged. */
  step: number;
  value: number;
  time: string;
  context: MetricContext;
}

/**
 * The values of metric `name` whose context contains every entry of `context` (a subset match:
 * `{ split: "dev" }` keeps all attacks on dev), in logging order.
 */
export function metricSeries(
  metrics: readonly Metric[],
  name: string,
  context: MetricContext = {},
): MetricPoint[] {
  const wanted = Object.entries(context);
  return metrics
    .filter((m) => m.name === name && wanted.every(([k, v]) => m.context[k] === v))
    .map((m, i) => ({ step: m.step ?? i, value: m.value, time: m.time, context: m.context }));
}
