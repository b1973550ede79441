/**
 * Regularized (aging) evolution (Real et al. 2019, "Regularized Evolution for Image Classifier
 * Architecture Search", Algorithm 1) as an ask/tell strategy with JSON-serialisable state
 * (DESIGN.md convention 6). No tfjs here.
 *
 * - The first `populationSize` asks are uniform random samples of the space.
 * - Later asks: tournament selection (`sampleSize` members drawn uniformly WITH replacement, as
 *   in the paper's pseudocode), the fittest becomes the parent, the child is `mutate(parent)`;
 *   with `mutationOnly: false`, a fraction `crossoverRate` of children are instead
 *   `crossover(parent, parent2)` (parent2 from a second tournament), mutated again if the
 *   child equals a parent.
 * - If asks run ahead of tells (a worker pool) and nobody has been told yet, extra asks are
 *   random samples too.
 * - tell(): the individual joins the population; beyond `populationSize` the OLDEST member
 *   (earliest told) is removed, whatever its fitness (aging).
 * - Duplicates (by canonical `genomeHash`) are never evaluated twice: a proposal whose hash
 *   was already evaluated or is pending is discarded and ask() proposes again (up to
 *   `maxDuplicateRetries`, then random samples for as many tries). With
 *   `duplicatePolicy: "retell"`, a discarded duplicate of an EVALUATED genome is also re-told
 *   from the cache (a fresh copy of the cached individual joins the population, as a
 *   re-evaluation would in the paper, at no cost and without using budget). If every try is a
 *   duplicate, ask() returns null and `state().exhausted` is set.
 * - `budget` = number of distinct genomes handed out by ask(); ask() returns null after that.
 * - Several asks may be outstanding; tell() matches a genome to its pending ask by hash.
 * - state()/restoreEvolution(): population, history, pending asks, counters and the PRNG
 *   state, so a restored run makes the same asks as an uninterrupted one.
 */
import { z } from "zod";
import { Prng, type PrngState } from "../random/mod.ts";
import {
  checkSpace,
  crossover,
  type Genome,
  genomeHash,
  mutate,
  sampleGenome,
  type SearchSpaceConfig,
  validateStructure,
} from "../search_space/mod.ts";

export type Origin = "random" | "mutation" | "crossover" | "retell";

export interface Individual {
  /** Order of the ask (0-based); retold copies get fresh ids. */
  id: number;
  hash: string;
  genome: Genome;
  fitness: number;
  metrics: Record<string, unknown>;
  origin: Origin;
  /** Hashes of the parents (empty for random samples). */
  parents: string[];
}

export interface PendingAsk {
  id: number;
  hash: string;
  genome: Genome;
  origin: Origin;
  parents: string[];
}

export interface EvolutionOptions {
  space: SearchSpaceConfig;
  /** Distinct genomes to hand out in total. */
  budget: number;
  /** Default 8. */
  populationSize?: number;
  /** Tournament size. Default 3. */
  sampleSize?: number;
  /** Default 0. */
  seed?: number;
  /** Default true (crossover off). */
  mutationOnly?: boolean;
  /** Share of children made by crossover when mutationOnly is false. Default 0. */
  crossoverRate?: number;
  /** Default 50. */
  maxDuplicateRetries?: number;
  /** Default "skip". */
  duplicatePolicy?: "skip" | "retell";
}

export type ResolvedOptions = Required<Omit<EvolutionOptions, "seed">> & { seed: number };

export interface EvolutionCounters {
  asked: number;
  told: number;
  randomAsked: number;
  duplicatesSkipped: number;
  retold: number;
  nextId: number;
}

export interface EvolutionState {
  version: 1;
  options: ResolvedOptions;
  prng: PrngState;
  /** Ids (into history) of the current population, oldest first. */
  population: number[];
  /** Every individual told (and retold), in tell order. */
  history: Individual[];
  pending: PendingAsk[];
  counters: EvolutionCounters;
  exhausted: boolean;
}

export interface Evolution {
  /**
   * The next pending ask (its genome, id, canonical hash, origin and parents), or null when the
   * budget is used up (or the space exhausted).
   */
  ask(): PendingAsk | null;
  /** Reports the fitness of an asked genome (-Infinity for a failed evaluation; NaN refused). */
  tell(genome: Genome, fitness: number, metrics?: Record<string, unknown>): Individual;
  /** The evaluated individual with this genome's canonical hash, if any. */
  lookup(genome: Genome): Individual | undefined;
  /** Budget used and nothing pending. */
  done(): boolean;
  best(): Individual | null;
  history(): Individual[];
  population(): Individual[];
  pending(): PendingAsk[];
  /** Every ask told, in tell order (the loop's check for lost records). */
  told(): PendingAsk[];
  state(): EvolutionState;
}

export function createEvolution(options: EvolutionOptions): Evolution {
  const o: ResolvedOptions = {
    populationSize: 8,
    sampleSize: 3,
    seed: 0,
    mutationOnly: true,
    crossoverRate: 0,
    maxDuplicateRetries: 50,
    duplicatePolicy: "skip",
    ...options,
  };
  checkOptions(o);
  return fromState({
    version: 1,
    options: o,
    prng: Prng.fromSeed(o.seed).state(),
    population: [],
    history: [],
    pending: [],
    counters: { asked: 0, told: 0, randomAsked: 0, duplicatesSkipped: 0, retold: 0, nextId: 0 },
    exhausted: false,
  });
}

function checkOptions(o: ResolvedOptions): void {
  const int = (k: keyof ResolvedOptions, min: number) => {
    const v = o[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw new RangeError(`createEvolution: ${k} must be an integer >= ${min}, got ${v}`);
    }
  };
  int("budget", 0);
  int("populationSize", 1);
  int("sampleSize", 1);
  int("maxDuplicateRetries", 1);
  if (!Number.isSafeInteger(o.seed)) {
    throw new RangeError(`createEvolution: seed must be a safe integer, got ${o.seed}`);
  }
  if (!(o.crossoverRate >= 0 && o.crossoverRate <= 1)) {
    throw new RangeError(
      `createEvolution: crossoverRate must be in [0, 1], got ${o.crossoverRate}`,
    );
  }
  if (o.duplicatePolicy !== "skip" && o.duplicatePolicy !== "retell") {
    throw new RangeError(
      `createEvolution: duplicatePolicy must be "skip" or "retell", got ${o.duplicatePolicy}`,
    );
  }
}

function fromState(initial: EvolutionState): Evolution {
  const s: EvolutionState = structuredClone(initial);
  const o = s.options;
  const prng = Prng.fromState(s.prng);
  const byId = new Map<number, Individual>(s.history.map((i) => [i.id, i]));
  const evaluated = new Map<string, Individual>();
  for (const i of s.history) if (!evaluated.has(i.hash)) evaluated.set(i.hash, i);
  const pendingHashes = new Set(s.pending.map((p) => p.hash));

  const tournament = (): Individual => {
    let best: Individual | null = null;
    for (let k = 0; k < o.sampleSize; k++) {
      const cand = byId.get(s.population[prng.int(s.population.length)])!;
      if (best === null || cand.fitness > best.fitness) best = cand;
    }
    return best!;
  };

  const propose = (forceRandom: boolean): Omit<PendingAsk, "id" | "hash"> => {
    if (forceRandom || s.counters.randomAsked < o.populationSize || s.population.length === 0) {
      if (!forceRandom && s.counters.randomAsked < o.populationSize) s.counters.randomAsked++;
      return { genome: sampleGenome(o.space, prng), origin: "random", parents: [] };
    }
    const p1 = tournament();
    if (!o.mutationOnly && o.crossoverRate > 0 && prng.next() < o.crossoverRate) {
      const p2 = tournament();
      let child = crossover(p1.genome, p2.genome, o.space, prng);
      const h = genomeHash(child);
      if (h === p1.hash || h === p2.hash) child = mutate(child, o.space, prng);
      return { genome: child, origin: "crossover", parents: [p1.hash, p2.hash] };
    }
    return { genome: mutate(p1.genome, o.space, prng), origin: "mutation", parents: [p1.hash] };
  };

  const join = (ind: Individual) => {
    s.history.push(ind);
    byId.set(ind.id, ind);
    s.population.push(ind.id);
    while (s.population.length > o.populationSize) s.population.shift();
  };

  const ask = (): PendingAsk | null => {
    if (s.counters.asked >= o.budget || s.exhausted) return null;
    try {
      return askOnce();
    } finally {
      s.prng = prng.state();
    }
  };

  const askOnce = (): PendingAsk | null => {
    for (let t = 0; t < 2 * o.maxDuplicateRetries; t++) {
      const prop = propose(t >= o.maxDuplicateRetries);
      const hash = genomeHash(prop.genome);
      if (!evaluated.has(hash) && !pendingHashes.has(hash)) {
        const ask: PendingAsk = { id: s.counters.nextId++, hash, ...prop };
        s.pending.push(ask);
        pendingHashes.add(hash);
        s.counters.asked++;
        return structuredClone(ask);
      }
      s.counters.duplicatesSkipped++;
      const cached = evaluated.get(hash);
      if (cached && o.duplicatePolicy === "retell") {
        s.counters.retold++;
        join({
          ...structuredClone(cached),
          id: s.counters.nextId++,
          origin: "retell",
          parents: [cached.hash],
        });
      }
    }
    s.exhausted = true;
    return null;
  };

  const tell = (
    genome: Genome,
    fitness: number,
    metrics: Record<string, unknown> = {},
  ): Individual => {
    if (typeof fitness !== "number" || Number.isNaN(fitness) || fitness === Infinity) {
      throw new RangeError(`tell: fitness must be a number (finite or -Infinity), got ${fitness}`);
    }
    const hash = genomeHash(genome);
    const k = s.pending.findIndex((p) => p.hash === hash);
    if (k < 0) {
      const why = evaluated.has(hash) ? "was already told" : "was not asked";
      throw new Error(
        `tell: genome ${hash} ${why}; pending: ${
          s.pending.map((p) => p.hash).join(", ") || "(none)"
        }`,
      );
    }
    const [p] = s.pending.splice(k, 1);
    pendingHashes.delete(hash);
    const ind: Individual = { ...p, fitness, metrics: structuredClone(metrics) };
    evaluated.set(hash, ind);
    join(ind);
    s.counters.told++;
    return structuredClone(ind);
  };

  const best = (): Individual | null => {
    let b: Individual | null = null;
    for (const i of s.history) if (b === null || i.fitness > b.fitness) b = i;
    return b ? structuredClone(b) : null;
  };

  return {
    ask,
    tell,
    lookup: (genome) => {
      const i = evaluated.get(genomeHash(genome));
      return i ? structuredClone(i) : undefined;
    },
    done: () => (s.counters.asked >= o.budget || s.exhausted) && s.pending.length === 0,
    best,
    history: () => structuredClone(s.history),
    population: () => structuredClone(s.population.map((id) => byId.get(id)!)),
    pending: () => structuredClone(s.pending),
    told: () =>
      s.history.map(({ id, hash, genome, origin, parents }) =>
        structuredClone({ id, hash, genome, origin, parents })
      ),
    state: () => structuredClone(s),
  };
}

const IndividualSchema = z.object({
  id: z.number().int().nonnegative(),
  hash: z.string(),
  genome: z.unknown(),
  fitness: z.number().or(z.null()), // -Infinity becomes null in JSON
  metrics: z.record(z.unknown()),
  origin: z.enum(["random", "mutation", "crossover", "retell"]),
  parents: z.array(z.string()),
});

const StateSchema = z.object({
  version: z.literal(1),
  options: z.object({
    space: z.record(z.unknown()),
    budget: z.number().int().nonnegative(),
    populationSize: z.number().int().positive(),
    sampleSize: z.number().int().positive(),
    seed: z.number().int(),
    mutationOnly: z.boolean(),
    crossoverRate: z.number().min(0).max(1),
    maxDuplicateRetries: z.number().int().positive(),
    duplicatePolicy: z.enum(["skip", "retell"]),
  }),
  prng: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  population: z.array(z.number().int()),
  history: z.array(IndividualSchema),
  pending: z.array(IndividualSchema.omit({ fitness: true, metrics: true })),
  counters: z.object({
    asked: z.number().int().nonnegative(),
    told: z.number().int().nonnegative(),
    randomAsked: z.number().int().nonnegative(),
    duplicatesSkipped: z.number().int().nonnegative(),
    retold: z.number().int().nonnegative(),
    nextId: z.number().int().nonnegative(),
  }),
  exhausted: z.boolean(),
});

/**
 * Continues a run from `state()` (possibly after a JSON round trip, which turns -Infinity
 * fitness into null: read back as -Infinity). Validated with zod; genomes structurally.
 */
export function restoreEvolution(state: unknown): Evolution {
  const parsed = StateSchema.safeParse(state);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join(".") || "state"}: ${i.message}`).join(
      "; ",
    );
    throw new TypeError(`restoreEvolution: invalid state: ${msg}`);
  }
  const st = structuredClone(state) as EvolutionState;
  checkSpace(st.options.space);
  for (const i of st.history) {
    if (i.fitness === null) i.fitness = -Infinity;
    validateStructure(i.genome);
  }
  for (const p of st.pending) validateStructure(p.genome);
  const ids = new Set(st.history.map((i) => i.id));
  for (const id of st.population) {
    if (!ids.has(id)) {
      throw new TypeError(`restoreEvolution: population id ${id} is not in history`);
    }
  }
  return fromState(st);
}
