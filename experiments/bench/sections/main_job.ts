/**
 * The main job's wall time (`deno task rosearch`, default preset), from its own run records:
 * every finished run record of the main job in `runs/rosearch_sst2/` and the committed records in
 * `experiments/bench/results/main_job_runs/` (the issue-20 before/after pair: the same command at
 * d7429d2, before the fused kernels, and at 5b45ad7, with them, one after the other on an idle
 * 2-core machine; copied unchanged from their run folders). Each row: the record's wall time
 * (created to finished, one invocation; a resumed run is listed with its invocation count and the
 * sum of its invocations), whether the build had the fused kernels (the record's backend report),
 * and the record's start. Then, for the latest record without and the latest with the kernels, the
 * ratio. Nothing is run: the main job takes 14-18 minutes, so it is timed by itself.
 */
import { PROJECT_ROOT } from "../../_shared/project.ts";
import type { BenchRow, BenchSection } from "./types.ts";

const COMMITTED = `${PROJECT_ROOT}experiments/bench/results/main_job_runs`;
const LOCAL = `${PROJECT_ROOT}runs/rosearch_sst2`;

interface MainJobRun {
  runId: string;
  source: string;
  start: string;
  seconds: number;
  invocations: number;
  fused: boolean;
}

interface RunRecord {
  experiment?: string;
  runId?: string;
  status?: string;
  params?: { presetName?: string };
  backend?: { fused?: { active?: boolean } };
  history?: { event: string; time: string }[];
}

/** Wall seconds of a record's invocations (each "created"/"resumed" to the next end event). */
function invocationSeconds(history: readonly { event: string; time: string }[]): number[] {
  const out: number[] = [];
  let open: number | null = null;
  for (const h of history) {
    const t = Date.parse(h.time);
    if (h.event === "created" || h.event === "resumed") open = t;
    else if (open !== null) {
      out.push((t - open) / 1000);
      open = null;
    }
  }
  return out;
}

/** A finished default-preset main-job record, or null (with no error: other runs are skipped). */
export function mainJobRun(record: RunRecord, source: string): MainJobRun | null {
  if (record.experiment !== "rosearch_sst2" || record.status !== "finished") return null;
  if (record.params?.presetName !== "default" || !record.runId || !record.history) return null;
  const inv = invocationSeconds(record.history);
  if (inv.length === 0) return null;
  return {
    runId: record.runId,
    source,
    start: record.history[0].time,
    seconds: inv.reduce((a, b) => a + b, 0),
    invocations: inv.length,
    fused: record.backend?.fused?.active === true,
  };
}

function readRecords(): MainJobRun[] {
  const out = new Map<string, MainJobRun>();
  const add = (path: string, source: string) => {
    let record: RunRecord;
    try {
      record = JSON.parse(Deno.readTextFileSync(path));
    } catch (e) {
      throw new Error(`bench mainjob: ${path} is not a readable run record: ${e}`);
    }
    const r = mainJobRun(record, source);
    if (r && !out.has(r.runId)) out.set(r.runId, r);
  };
  const list = (dir: string) => {
    try {
      return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw e;
    }
  };
  for (const f of list(COMMITTED).filter((f) => f.endsWith(".run.json"))) {
    add(`${COMMITTED}/${f}`, "committed");
  }
  for (const d of list(LOCAL)) {
    try {
      Deno.statSync(`${LOCAL}/${d}/run.json`);
    } catch {
      continue;
    }
    add(`${LOCAL}/${d}/run.json`, "runs/");
  }
  return [...out.values()].sort((a, b) => a.start.localeCompare(b.start));
}

export const mainJobSection: BenchSection = {
  name: "mainjob",
  description: "the main job's wall time before/after the fused kernels, from its run records",
  // deno-lint-ignore require-await
  async run() {
    const runs = readRecords();
    const rows: BenchRow[] = runs.map((r) => ({
      section: "mainjob",
      name: `main job wall time, run ${r.runId}, fused kernels ${r.fused ? "on" : "off"}`,
      value: r.seconds / 60,
      unit: "min",
      note: `${r.source}; started ${r.start.slice(0, 16).replace("T", " ")} UTC` +
        (r.invocations > 1 ? `; ${r.invocations} invocations summed` : ""),
    }));
    const before = runs.filter((r) => !r.fused).at(-1);
    const after = runs.filter((r) => r.fused).at(-1);
    if (before && after) {
      rows.push({
        section: "mainjob",
        name: "main job wall time, without / with the fused kernels",
        value: before.seconds / after.seconds,
        unit: "x",
        note: `runs ${before.runId} and ${after.runId} (latest of each)`,
      });
    }
    return rows;
  },
};
