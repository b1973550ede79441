/**
 * Racing evaluation (Maron & Moore 1994, "Hoeffding races"; Birattari et al. 2002, F-Race): a
 * candidate's robustness is measured on a growing prefix of ONE ordered list of held-out
 * examples, shared by every candidate, and it is extended only while it could still be among the
 * best. No tfjs: the attack is a callback.
 *
 * Rule (ours; RoSearch attacks a fixed set, METHODS.md): attack the first `initial` examples;
 * then, while fewer than `cap` are attacked and the candidate's fitness interval still overlaps
 * the top-k (its upper bound >= the k-th best candidate's lower bound so far; any candidate can
 * reach the top-k while fewer than k have been told), attack the next `step`. The fitness interval
 * is the fitness at the ends of the Wilson 95% interval of robustness (accuracy, size and the
 * other terms held at their measured values), so a candidate that has no chance stops after its
 * first step and the close ones are measured on up to `cap` examples.
 */
import { wilson } from "../stats/mod.ts";

export interface RacingOptions {
  /** Examples attacked first. */
  initial: number;
  /** Examples added per extension. */
  step: number;
  /** Most examples attacked. */
  cap: number;
  /** How many top places are raced for. */
  topK: number;
}

/** A fitness with its 95% interval. */
export interface FitnessInterval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface RaceStep {
  /** Examples attacked after this step. */
  attacked: number;
  /** Of them, still correctly classified after the attack. */
  robust: number;
  fitness: FitnessInterval;
  /** The k-th best lower bound this step was compared with. */
  threshold: number;
}

export interface RaceResult {
  /** Per example attacked, in list order: true = still correct after the attack. */
  outcomes: boolean[];
  steps: RaceStep[];
  stopped: "cap" | "cannot reach the top-k" | "no more examples";
}

export interface RaceOptions {
  racing: RacingOptions;
  /** Examples in the shared list (the racing cannot go past them). */
  available: number;
  /** Attacks examples [from, to) of the list: true per example that stayed correct. */
  attack: (from: number, to: number) => Promise<boolean[]>;
  /** The fitness for a robustness value (the candidate's other terms fixed). */
  fitnessAt: (robustness: number) => number;
  /** The k-th best fitness lower bound among candidates told so far (re-read at every step). */
  threshold: () => number;
  /** Called after every step (progress, records). */
  onStep?: (step: RaceStep) => void;
}

/** The fitness interval for `robust` of `n` attacked examples. */
export function fitnessInterval(
  robust: number,
  n: number,
  fitnessAt: (robustness: number) => number,
): FitnessInterval {
  const w = wilson(robust, n);
  const a = fitnessAt(w.lower), b = fitnessAt(w.upper);
  return { estimate: fitnessAt(w.estimate), lower: Math.min(a, b), upper: Math.max(a, b) };
}

/** The k-th largest of `lowerBounds` (−Infinity when fewer than k). */
export function topKThreshold(lowerBounds: readonly number[], k: number): number {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`topK must be a positive integer, got ${k}`);
  }
  const sorted = lowerBounds.filter((x) => !Number.isNaN(x)).sort((a, b) => b - a);
  return sorted.length < k ? -Infinity : sorted[k - 1];
}

export function checkRacing(r: RacingOptions): RacingOptions {
  const ok = (x: number) => Number.isInteger(x) && x >= 1;
  if (!ok(r.initial) || !ok(r.step) || !ok(r.cap) || !ok(r.topK) || r.initial > r.cap) {
    throw new RangeError(
      `racing: initial, step, cap and topK must be positive integers with initial <= cap; got ` +
        JSON.stringify(r),
    );
  }
  return r;
}

/** Races one candidate (see the file comment). */
export async function raceCandidate(o: RaceOptions): Promise<RaceResult> {
  const r = checkRacing(o.racing);
  const outcomes: boolean[] = [];
  const steps: RaceStep[] = [];
  let to = Math.min(r.initial, o.available);
  for (;;) {
    const got = await o.attack(outcomes.length, to);
    if (got.length !== to - outcomes.length) {
      throw new RangeError(
        `raceCandidate: attack(${outcomes.length}, ${to}) returned ${got.length} outcomes`,
      );
    }
    outcomes.push(...got);
    const robust = outcomes.filter(Boolean).length;
    const fitness = fitnessInterval(robust, outcomes.length, o.fitnessAt);
    const threshold = o.threshold();
    const step = { attacked: outcomes.length, robust, fitness, threshold };
    steps.push(step);
    o.onStep?.(step);
    if (outcomes.length >= r.cap) return { outcomes, steps, stopped: "cap" };
    if (outcomes.length >= o.available) return { outcomes, steps, stopped: "no more examples" };
    if (fitness.upper < threshold) return { outcomes, steps, stopped: "cannot reach the top-k" };
    to = Math.min(outcomes.length + r.step, r.cap, o.available);
  }
}

/**
 * The racing threshold of the search loop's `atAsk`: the k-th best fitness lower bound among
 * the told candidates (their `metrics.fitnessInterval.lower`, else their fitness), or undefined
 * without racing.
 */
export function racingThreshold(
  told: readonly { fitness: number | null; metrics: Record<string, unknown> | null }[],
  racing: { topK: number } | undefined,
): number | undefined {
  if (!racing) return undefined;
  return topKThreshold(
    told.filter((r) => r.fitness !== null).map((r) =>
      (r.metrics?.fitnessInterval as { lower?: number } | undefined)?.lower ?? r.fitness!
    ),
    racing.topK,
  );
}
