/**
 * What the search loop needs of a strategy (DESIGN.md conventions 6 and 15): ask for a
 * candidate, tell its fitness, list the pending asks and serialise the state. Regularized
 * evolution (`createEvolution`) is one; a controller-based strategy (KD-NAS) will be another.
 * No tfjs: a strategy only sees plain genomes and numbers.
 */
import type { Genome } from "../search_space/mod.ts";

/** One candidate handed out by `ask()`: the loop evaluates it, then tells its fitness. */
export interface Ask<G = Genome> {
  /** Order of the ask (0-based). */
  id: number;
  /** Canonical hash of the genome (duplicates collapse to one hash). */
  hash: string;
  genome: G;
  /** How the strategy made it ("random", "mutation", …). */
  origin: string;
  /** Hashes of the parents (empty for random samples). */
  parents: string[];
}

export interface AskTellStrategy<G = Genome> {
  /** The next candidate, or null when the budget is used up. */
  ask(): Ask<G> | null;
  /** Reports an asked candidate's fitness (-Infinity for a failed evaluation). */
  tell(genome: G, fitness: number, metrics?: Record<string, unknown>): unknown;
  /** Asks not told yet, oldest first. */
  pending(): Ask<G>[];
  /**
   * Asks told so far, in tell order. The loop checks them against the run's records on resume:
   * a told candidate whose record was lost (a torn last line dropped) is evaluated again.
   * Optional: without it a lost record cannot be noticed.
   */
  told?(): Ask<G>[];
  /** Plain JSON that a `restore…` function of the strategy turns back into the strategy. */
  state(): unknown;
}
