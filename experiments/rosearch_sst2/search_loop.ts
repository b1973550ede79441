/**
 * The ask/tell loop of the search with up to `concurrency` evaluations in flight, resumable.
 * No tfjs here: evaluation is a callback (in the experiment, a task sent to the worker pool;
 * in tests, a fake).
 *
 * Durability order for every candidate (what makes a SIGKILL at any point safe):
 *   ask -> save state (the ask is now "pending" on disk) -> evaluate -> append the record
 *   (key = genome hash) -> tell -> save state.
 * On resume (`restoreEvolution` of the saved state + the run's records):
 *   - a pending ask whose hash has a record was evaluated before the kill: it is told from the
 *     record, not evaluated again;
 *   - any other pending ask is evaluated again (re-asked);
 *   - an ask whose hash already has a record (state older than the records) is told from it.
 * So every evaluated candidate appears in records.jsonl exactly once. The state is written
 * atomically (temporary file + rename, `Run.writeArtifact`).
 */
import type { Evolution, EvolutionState, FitnessResult } from "../../lib/search/mod.ts";
import type { Genome } from "../../lib/search_space/genome.ts";

/** What the loop needs of a run record (lib/track's `Run` fits). */
export interface SearchRun {
  appendRecord(record: Record<string, unknown>): void;
  completedKeys(): Set<string>;
  logMetric(name: string, value: number, options?: { step?: number }): void;
  writeArtifact(name: string, data: unknown): string;
}

/** A candidate's metrics: plain JSON with at least the fields the fitness reads. */
export type EvaluationResult = Record<string, unknown> & { architectureStats?: unknown };

export interface CandidateRecord {
  key: string;
  kind: "candidate";
  status: "ok" | "failed";
  id: number;
  hash: string;
  origin: string;
  parents: string[];
  genome: Genome;
  fitness: number | null;
  fitnessTerms: Record<string, number> | null;
  metrics: Record<string, unknown> | null;
  architectureStats: unknown;
  error?: string;
  /** Evaluations finished before this one in this run (1-based order of completion). */
  evaluation: number;
  time: string;
}

export interface SearchLoopOptions {
  evolution: Evolution;
  run: SearchRun;
  concurrency: number;
  evaluate: (genome: Genome, ask: { id: number; hash: string }) => Promise<EvaluationResult>;
  fitness: (metrics: EvaluationResult) => FitnessResult;
  /** Records already in the run (kind "candidate"), for telling pending asks on resume. */
  previous?: readonly CandidateRecord[];
  /** Called after each record is appended. */
  onRecord?: (record: CandidateRecord, best: number) => void;
  /** Artifact name of the state. Default "evolution_state.json". */
  stateName?: string;
}

export interface SearchLoopSummary {
  /** Candidates evaluated by this call. */
  evaluated: number;
  /** Pending asks told from existing records on resume. */
  recovered: number;
  failed: number;
  state: EvolutionState;
}

export const STATE_ARTIFACT = "evolution_state.json";

export async function runSearchLoop(options: SearchLoopOptions): Promise<SearchLoopSummary> {
  const { evolution: evo, run, concurrency } = options;
  const stateName = options.stateName ?? STATE_ARTIFACT;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `runSearchLoop: concurrency must be a positive integer, got ${concurrency}`,
    );
  }
  const save = () => run.writeArtifact(stateName, evo.state());
  const byHash = new Map((options.previous ?? []).map((r) => [r.hash, r]));
  let evaluation = byHash.size;
  let best = Math.max(-Infinity, ...[...byHash.values()].map((r) => r.fitness ?? -Infinity));
  const summary = { evaluated: 0, recovered: 0, failed: 0 };

  const tellFromRecord = (genome: Genome, rec: CandidateRecord) => {
    evo.tell(genome, rec.fitness ?? -Infinity, rec.metrics ?? {});
    save();
    summary.recovered++;
  };

  const inflight = new Map<string, Promise<void>>();
  const launch = (genome: Genome, id: number, hash: string, origin: string, parents: string[]) => {
    const p = (async () => {
      let rec: CandidateRecord;
      const base = { key: hash, kind: "candidate" as const, id, hash, origin, parents, genome };
      try {
        const metrics = await options.evaluate(genome, { id, hash });
        const f = options.fitness(metrics);
        const { architectureStats, ...rest } = metrics;
        rec = {
          ...base,
          status: "ok",
          fitness: f.fitness,
          fitnessTerms: f.terms,
          metrics: rest,
          architectureStats: architectureStats ?? null,
          evaluation: ++evaluation,
          time: new Date().toISOString(),
        };
      } catch (e) {
        summary.failed++;
        rec = {
          ...base,
          status: "failed",
          fitness: null,
          fitnessTerms: null,
          metrics: null,
          architectureStats: null,
          error: e instanceof Error ? e.message : String(e),
          evaluation: ++evaluation,
          time: new Date().toISOString(),
        };
      }
      run.appendRecord(rec as unknown as Record<string, unknown>);
      evo.tell(genome, rec.fitness ?? -Infinity, rec.metrics ?? {});
      save();
      summary.evaluated++;
      if (rec.fitness !== null) {
        run.logMetric("fitness", rec.fitness, { step: rec.evaluation });
        best = Math.max(best, rec.fitness);
        run.logMetric("best_fitness", best, { step: rec.evaluation });
      }
      options.onRecord?.(rec, best);
    })().finally(() => inflight.delete(hash));
    inflight.set(hash, p);
  };

  // 1. pending asks of a restored state: recover from records or evaluate again
  for (const p of evo.pending()) {
    const rec = byHash.get(p.hash);
    if (rec) tellFromRecord(p.genome, rec);
  }
  const again = evo.pending();
  // 2. the loop
  let k = 0;
  for (;;) {
    while (inflight.size < concurrency) {
      if (k < again.length) {
        const p = again[k++];
        launch(p.genome, p.id, p.hash, p.origin, p.parents);
        continue;
      }
      const genome = evo.ask();
      if (genome === null) break;
      const ask = evo.pending().at(-1)!;
      save();
      const rec = byHash.get(ask.hash);
      if (rec) {
        tellFromRecord(genome, rec);
        continue;
      }
      launch(genome, ask.id, ask.hash, ask.origin, ask.parents);
    }
    if (inflight.size === 0) break;
    await Promise.race(inflight.values());
  }
  save();
  return { ...summary, state: evo.state() };
}
