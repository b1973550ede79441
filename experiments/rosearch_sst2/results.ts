/**
 * The main job's result files: the candidates table (one row per evaluated candidate) and
 * atomic writes into the results folder.
 */
import type { CandidateRecord } from "../../lib/search/mod.ts";
import { wilson } from "../../lib/stats/mod.ts";

/** What the search phase hands to the outputs and the final stage. */
export interface SearchOutcome {
  /** Every candidate record of the run, in order of evaluation. */
  all: CandidateRecord[];
  rows: CandidateRow[];
  seconds: number;
  /** Racing only: attacked examples vs attacking every candidate at the cap. */
  racing: RacingSaved | null;
  meanCandidateSeconds: number | null;
  best: { hash: string; fitness: number; metrics: Record<string, unknown> } | null;
}

export interface RacingSaved {
  candidates: number;
  attacked: number;
  cap: number;
  atCap: number;
  /** 1 - attacked / atCap. */
  share: number;
}

/** What racing saved over the run's candidates (null without racing). */
export function racingSaved(
  records: readonly CandidateRecord[],
  attack: { racing?: { cap: number } },
): RacingSaved | null {
  if (!attack.racing) return null;
  const ok = records.filter((r) => r.status === "ok" && r.metrics);
  const attacked = ok.reduce(
    (a, r) => a + String((r.metrics!.attack as { outcomes?: string })?.outcomes ?? "").length,
    0,
  );
  const atCap = ok.length * attack.racing.cap;
  return {
    candidates: ok.length,
    attacked,
    cap: attack.racing.cap,
    atCap,
    share: atCap ? 1 - attacked / atCap : 0,
  };
}

export interface CandidateRow {
  name: string;
  hash: string;
  evaluation: number;
  fitness: number;
  params: number;
  compression: number;
  robustness: number;
  accuracy: number;
  /** Search-time robustness: attacked examples and the Wilson 95% interval. */
  attacked?: number;
  robustnessInterval?: [number, number];
  stats: Record<string, unknown>;
}

/** The successful candidates as rows of candidates.json (the committed reference's format). */
export function candidateRows(records: readonly CandidateRecord[]): CandidateRow[] {
  return records.filter((r) => r.status === "ok").map((r) => {
    const m = r.metrics as {
      params: number;
      compression: number;
      robustness: number;
      cleanAccuracy: number;
      attack?: { total: number; failed: number };
    };
    const w = m.attack ? wilson(m.attack.failed, m.attack.total) : null;
    return {
      name: r.hash.slice(0, 8),
      hash: r.hash,
      evaluation: r.evaluation,
      fitness: r.fitness!,
      params: m.params,
      compression: m.compression,
      robustness: m.robustness,
      accuracy: m.cleanAccuracy,
      ...(w ? { attacked: m.attack!.total, robustnessInterval: [w.lower, w.upper] } : {}),
      stats: (r.architectureStats ?? {}) as Record<string, unknown>,
    };
  });
}

/** Writes `dir/name` atomically (temporary file, then rename); JSON for non-strings. */
export function writeResult(dir: string, name: string, data: string | unknown): string {
  const path = `${dir}/${name}`;
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const tmp = `${path}.tmp`;
  Deno.writeTextFileSync(
    tmp,
    typeof data === "string" ? data : JSON.stringify(data, null, 2) + "\n",
  );
  Deno.renameSync(tmp, path);
  return path;
}
