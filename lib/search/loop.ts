/**
 * The ask/tell loop of every search: a strategy (`AskTellStrategy`) proposes, an evaluation
 * engine (`EvaluationEngine`) evaluates up to `engine.concurrency` candidates at once, a fitness
 * function scores them, and the run record receives each candidate exactly once. No tfjs here.
 *
 * Determinism: the strategy sees the same sequence of asks and tells whatever the timing of the
 * evaluations (which worker finishes first, how many machines): results are told in ask order,
 * and ask k is made right after the tell of ask k - `lookahead` (the first `lookahead` asks at the
 * start). So a seed gives the same candidates in the same order on 1 or N workers, and a
 * resumed run continues the same sequence. `lookahead` (default 2 x concurrency) asks may be
 * outstanding; evaluations beyond `concurrency` wait for a free slot. Measured consequence: a
 * slow candidate delays the tells after it (not the evaluations), so with very uneven candidates
 * a worker can idle until the slow one finishes; a larger lookahead hides more of that.
 *
 * Durability order for every candidate (what makes a SIGKILL at any point safe):
 *   ask -> save state (the ask is now "pending" on disk) -> evaluate -> append the record
 *   (key = genome hash) as soon as it finishes -> tell (in ask order) -> save state.
 * On resume (the strategy restored from the saved state + the run's records as `previous`):
 *   - a pending ask whose hash has a record was evaluated before the kill: it is told from the
 *     record (in ask order), not evaluated again;
 *   - any other pending ask is evaluated again;
 *   - an ask whose hash already has a record (state older than the records) is told from it;
 *   - a TOLD ask without a record (its line was torn by a crash mid-write or lost by the disk,
 *     and dropped by lib/track's resume repair) is evaluated again and its record appended; it
 *     is not told a second time (the strategy already holds it). Needs the strategy's `told()`;
 *     the count is in the summary (`reevaluated`).
 * So every evaluated candidate appears in records.jsonl exactly once. The state is written
 * atomically (temporary file + rename, lib/track's `Run.writeArtifact`). A record's `evaluation`
 * is its ask's position (ask id + 1), the same on every run of the seed.
 */
import type { Genome } from "../search_space/mod.ts";
import type { FitnessResult } from "./fitness.ts";
import type { EvaluationEngine, EvaluationResult } from "./engine.ts";
import type { Ask, AskTellStrategy } from "./strategy.ts";

/** What the loop needs of a run record (lib/track's `Run` fits). */
export interface SearchRun {
  appendRecord(record: Record<string, unknown>): void;
  logMetric(name: string, value: number, options?: { step?: number }): void;
  writeArtifact(name: string, data: unknown): string;
}

/** One line of records.jsonl per evaluated candidate. */
export interface CandidateRecord<G = Genome> {
  key: string;
  kind: "candidate";
  status: "ok" | "failed";
  id: number;
  hash: string;
  origin: string;
  parents: string[];
  genome: G;
  fitness: number | null;
  fitnessTerms: Record<string, number> | null;
  metrics: Record<string, unknown> | null;
  architectureStats: unknown;
  error?: string;
  /** 1-based position of the candidate's ask (ask id + 1): the same on every run of a seed. */
  evaluation: number;
  time: string;
}

export interface SearchLoopOptions<G = Genome, R extends EvaluationResult = EvaluationResult> {
  strategy: AskTellStrategy<G>;
  engine: EvaluationEngine<G, R>;
  run: SearchRun;
  fitness: (metrics: R) => FitnessResult;
  /** Candidate records already in the run, for telling pending asks on resume. */
  previous?: readonly CandidateRecord<G>[];
  /** Called after each record is appended, with the best fitness so far. */
  onRecord?: (record: CandidateRecord<G>, best: number) => void;
  /** Artifact name of the strategy state. Default `STATE_ARTIFACT`. */
  stateName?: string;
  /** Asks outstanding at most (see the file comment). Default 2 x engine.concurrency. */
  lookahead?: number;
  /**
   * Computed for each ask from the records of the asks before it that had been told when it was
   * asked (ask ids <= its id - lookahead; the same set on a fresh and a resumed run) and passed
   * to `engine.evaluate` (racing: the k-th best fitness lower bound).
   */
  atAsk?: (told: readonly CandidateRecord<G>[]) => unknown;
  /**
   * Stops the loop (SIGINT): no new asks, and evaluations that end after the abort are NOT
   * recorded (their asks stay pending in the saved state and are evaluated again on resume).
   */
  signal?: AbortSignal;
}

export interface SearchLoopSummary {
  /** Candidates evaluated by this call. */
  evaluated: number;
  /** Pending asks told from existing records on resume. */
  recovered: number;
  /** Told asks whose records were lost, evaluated again on resume. */
  reevaluated: number;
  failed: number;
  /** True when `signal` stopped the loop. */
  interrupted: boolean;
  state: unknown;
}

export const STATE_ARTIFACT = "evolution_state.json";

const INTERRUPTED = new Error("search loop interrupted");

/** The candidate records among a run's records (lib/track `readRun(dir).records`). */
export function candidateRecords<G = Genome>(
  records: readonly Record<string, unknown>[],
): CandidateRecord<G>[] {
  return records.filter((r) => r.kind === "candidate") as unknown[] as CandidateRecord<G>[];
}

export async function runSearchLoop<G = Genome, R extends EvaluationResult = EvaluationResult>(
  options: SearchLoopOptions<G, R>,
): Promise<SearchLoopSummary> {
  const { strategy, engine, run } = options;
  const concurrency = engine.concurrency;
  const lookahead = options.lookahead ?? 2 * concurrency;
  const stateName = options.stateName ?? STATE_ARTIFACT;
  for (
    const [name, v] of [["engine.concurrency", concurrency], ["lookahead", lookahead]] as const
  ) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`runSearchLoop: ${name} must be a positive integer, got ${v}`);
    }
  }
  const save = () => run.writeArtifact(stateName, strategy.state());
  const byHash = new Map((options.previous ?? []).map((r) => [r.hash, r]));
  let best = Math.max(-Infinity, ...[...byHash.values()].map((r) => r.fitness ?? -Infinity));
  const summary = { evaluated: 0, recovered: 0, failed: 0, reevaluated: 0 };

  const evaluateOne = async (ask: Ask<G>, context: unknown): Promise<CandidateRecord<G>> => {
    const { id, hash, origin, parents, genome } = ask;
    const base = {
      key: hash,
      kind: "candidate" as const,
      id,
      hash,
      origin,
      parents,
      genome,
      evaluation: id + 1,
    };
    try {
      const metrics = await engine.evaluate(ask, context);
      const f = options.fitness(metrics);
      const { architectureStats, ...rest } = metrics;
      return {
        ...base,
        status: "ok",
        fitness: f.fitness,
        fitnessTerms: f.terms,
        metrics: rest,
        architectureStats: architectureStats ?? null,
        time: new Date().toISOString(),
      };
    } catch (e) {
      if (options.signal?.aborted) throw INTERRUPTED;
      summary.failed++;
      return {
        ...base,
        status: "failed",
        fitness: null,
        fitnessTerms: null,
        metrics: null,
        architectureStats: null,
        error: e instanceof Error ? e.message : String(e),
        time: new Date().toISOString(),
      };
    }
  };

  // Asks in ask order, each with its record once known (from `previous`, or when evaluated).
  const order: {
    ask: Ask<G>;
    record: CandidateRecord<G> | null;
    fresh: boolean;
    context: unknown;
  }[] = [];
  const known = [...byHash.values()]; // every record of the run, for `atAsk`
  const waiting: (typeof order)[number][] = []; // asks whose evaluation has not started
  let running = 0;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  const enqueue = (ask: Ask<G>) => {
    const rec = byHash.get(ask.hash) ?? null;
    const context = options.atAsk?.(known.filter((r) => r.id <= ask.id - lookahead));
    const item = { ask, record: rec, fresh: false, context };
    order.push(item);
    if (!rec) waiting.push(item);
  };
  const startWaiting = () => {
    while (running < concurrency && waiting.length > 0) {
      const item = waiting.shift()!;
      running++;
      void evaluateOne(item.ask, item.context).then((rec) => {
        running--;
        if (options.signal?.aborted) return notify(); // not recorded: evaluated again on resume
        run.appendRecord(rec as unknown as Record<string, unknown>); // durable before any tell
        known.push(rec);
        item.record = rec;
        item.fresh = true;
        summary.evaluated++;
        notify();
      }, () => {
        running--; // interrupted (see `signal`)
        notify();
      });
    }
  };
  const askMore = () => {
    while (order.length < lookahead && !options.signal?.aborted) {
      const ask = strategy.ask();
      if (ask === null) return;
      save();
      enqueue(ask);
    }
  };
  const tellReady = () => {
    while (order.length > 0 && order[0].record !== null) {
      const { ask, record: rec, fresh } = order.shift()!;
      strategy.tell(ask.genome, rec!.fitness ?? -Infinity, rec!.metrics ?? {});
      save();
      if (fresh) {
        if (rec!.fitness !== null) {
          run.logMetric("fitness", rec!.fitness, { step: rec!.evaluation });
          best = Math.max(best, rec!.fitness);
          run.logMetric("best_fitness", best, { step: rec!.evaluation });
        }
        options.onRecord?.(rec!, best);
      } else summary.recovered++;
      askMore(); // ask k right after the tell of ask k - lookahead, recovered or not
    }
  };

  // 0. told asks whose records were lost: evaluated again (not told again), records appended
  const lost = (strategy.told?.() ?? []).filter((a) => !byHash.has(a.hash));
  for (const ask of lost.filter((a, i) => lost.findIndex((b) => b.hash === a.hash) === i)) {
    if (options.signal?.aborted) break;
    const context = options.atAsk?.(known.filter((r) => r.id <= ask.id - lookahead));
    const rec = await evaluateOne(ask, context).catch(() => null);
    if (rec === null || options.signal?.aborted) break; // interrupted: again on the next resume
    run.appendRecord(rec as unknown as Record<string, unknown>);
    byHash.set(rec.hash, rec);
    known.push(rec);
    summary.reevaluated++;
    options.onRecord?.(rec, best = Math.max(best, rec.fitness ?? -Infinity));
  }
  // 1. pending asks of a restored state, in ask order: told from records, or evaluated again
  for (const p of [...strategy.pending()].sort((a, b) => a.id - b.id)) enqueue(p);
  askMore();
  // 2. the loop
  for (;;) {
    if (options.signal?.aborted) {
      if (running === 0) break;
    } else {
      tellReady();
      startWaiting();
      if (order.length === 0 && running === 0) break;
    }
    await new Promise<void>((resolve) => (wake = resolve));
  }
  if (!options.signal?.aborted) save();
  return { ...summary, interrupted: options.signal?.aborted ?? false, state: strategy.state() };
}
