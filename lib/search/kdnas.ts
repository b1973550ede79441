/**
 * KD-NAS's controller search (Trivedi et al. 2023 v1, as the third-party re-implementations
 * describe it; METHODS.md) as an ask/tell strategy with JSON state. No tfjs.
 *
 * Per episode e (0-based):
 * 1. the reward model (reward_model.ts; `lstm` by default) is fitted on every candidate told so
 *    far (its choices, the context of its episode, its measured reward);
 * 2. a pool of `poolSize` architectures not evaluated before is sampled uniformly from the
 *    space and the model predicts each one's reward with this episode's context
 *    [previous episode's best reward, global best];
 * 3. `perEpisode` candidates are picked epsilon-greedily without replacement: with probability
 *    epsilon_e a uniform pick from the pool ("random"), else the highest predicted ("controller");
 *    epsilon_e = max(epsilon.min, epsilon.start - e * epsilon.decay);
 * 4. they are asked one by one; the next episode starts once all of them are told (ask() returns
 *    null in between: the search loop asks again after the next tell).
 * A second "shadow" model of the other kind is fitted and queried alongside (never used for
 * picks), so a run measures whether the MLP ranks candidates as well as the LSTM.
 * Ours, where the re-implementations are silent or at 15 x 20 on GPUs: 10 x 10 by default, pool
 * 100, epsilon 1.0 falling by 0.1 per episode to 0.05 (so the last episodes mostly exploit),
 * duplicates never re-evaluated.
 */
import { z } from "zod";
import { Prng, type PrngState } from "../random/mod.ts";
import {
  DEFAULT_KDNAS_SPACE,
  type Genome,
  genomeHash,
  type KdNasArch,
  kdnasChoiceIndices,
  kdnasGenome,
  type KdNasSpace,
  kdnasSpaceSize,
  sampleKdNasArch,
} from "../search_space/mod.ts";
import { spearman } from "../stats/mod.ts";
import {
  createRewardModel,
  restoreRewardModel,
  type RewardModel,
  type RewardModelKind,
  type RewardModelState,
} from "./reward_model.ts";
import type { Ask, AskTellStrategy } from "./strategy.ts";

export interface KdNasOptions {
  space?: KdNasSpace;
  /** Default 10. */
  episodes?: number;
  /** Candidates evaluated per episode. Default 10. */
  perEpisode?: number;
  /** Random architectures the controller scores per episode. Default 100. */
  poolSize?: number;
  epsilon?: { start: number; decay: number; min: number };
  /** The model that picks; the other kind is the shadow. Default "lstm". */
  controller?: RewardModelKind;
  /** Reward-model iterations per episode. Default 300. */
  iterations?: number;
  seed?: number;
}

export interface KdNasCandidate {
  id: number;
  hash: string;
  arch: KdNasArch;
  episode: number;
  origin: "random" | "controller";
  context: number[];
  /** Predicted reward when it was picked, by model kind (null before any training). */
  predicted: Record<RewardModelKind, number | null>;
  /** Measured reward (set by tell; -Infinity for a failed evaluation). */
  reward?: number;
}

export interface KdNasState {
  kind: "kdnas";
  options: Required<KdNasOptions>;
  episode: number;
  queue: KdNasCandidate[];
  pending: KdNasCandidate[];
  history: KdNasCandidate[];
  nextId: number;
  prng: PrngState;
  models: Record<RewardModelKind, RewardModelState>;
  /** Reward-model training loss (first, last) per fitted episode. */
  fits: { episode: number; kind: RewardModelKind; first: number; last: number }[];
}

export interface KdNas extends AskTellStrategy<Genome> {
  state(): KdNasState;
  /** The architecture of an asked genome. */
  archOf(hash: string): KdNasArch | undefined;
}

/** epsilon of episode e. */
export function kdnasEpsilon(e: number, eps: { start: number; decay: number; min: number }) {
  return Math.max(eps.min, eps.start - e * eps.decay);
}

function defaults(o: KdNasOptions): Required<KdNasOptions> {
  const r: Required<KdNasOptions> = {
    space: structuredClone(o.space ?? DEFAULT_KDNAS_SPACE) as KdNasSpace,
    episodes: o.episodes ?? 10,
    perEpisode: o.perEpisode ?? 10,
    poolSize: o.poolSize ?? 100,
    epsilon: o.epsilon ?? { start: 1, decay: 0.1, min: 0.05 },
    controller: o.controller ?? "lstm",
    iterations: o.iterations ?? 300,
    seed: o.seed ?? 0,
  };
  for (const k of ["episodes", "perEpisode", "poolSize"] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 1) {
      throw new RangeError(`kdnas: ${k} must be a positive integer, got ${r[k]}`);
    }
  }
  const e = r.epsilon;
  if (!(e.min >= 0 && e.start <= 1 && e.min <= e.start && e.decay >= 0)) {
    throw new RangeError(`kdnas: need 0 <= epsilon.min <= epsilon.start <= 1, decay >= 0`);
  }
  if (r.episodes * r.perEpisode > kdnasSpaceSize(r.space)) {
    throw new RangeError(
      `kdnas: ${r.episodes} x ${r.perEpisode} candidates exceed the space's ` +
        `${kdnasSpaceSize(r.space)} architectures`,
    );
  }
  return r;
}

export function createKdNas(options: KdNasOptions = {}): KdNas {
  const o = defaults(options);
  const cards = Object.values(o.space).map((v) => v.length);
  const model = (kind: RewardModelKind, k: number) =>
    createRewardModel({ kind, cardinalities: cards, iterations: o.iterations, seed: o.seed + k })
      .state();
  return fromState({
    kind: "kdnas",
    options: o,
    episode: -1,
    queue: [],
    pending: [],
    history: [],
    nextId: 0,
    prng: Prng.fromSeed(o.seed).state(),
    models: { lstm: model("lstm", 1), mlp: model("mlp", 2) },
    fits: [],
  });
}

const ArchSchema = z.object({
  layers: z.number().int(),
  heads: z.number().int(),
  hidden: z.number().int(),
  intermediate: z.number(),
  activation: z.enum(["gelu", "relu"]),
});
const CandidateSchema = z.object({
  id: z.number().int(),
  hash: z.string(),
  arch: ArchSchema,
  episode: z.number().int(),
  origin: z.enum(["random", "controller"]),
  context: z.array(z.number()),
  predicted: z.object({ lstm: z.number().nullable(), mlp: z.number().nullable() }),
  reward: z.number().nullable().optional(),
});
const StateSchema = z.object({
  kind: z.literal("kdnas"),
  options: z.object({ episodes: z.number(), perEpisode: z.number() }).passthrough(),
  episode: z.number().int(),
  queue: z.array(CandidateSchema),
  pending: z.array(CandidateSchema),
  history: z.array(CandidateSchema),
  nextId: z.number().int(),
  prng: z.unknown(),
  models: z.object({ lstm: z.unknown(), mlp: z.unknown() }),
  fits: z.array(z.unknown()),
});

/** Continues a search from `state()` (after a JSON round trip too; null rewards = failed). */
export function restoreKdNas(state: unknown): KdNas {
  const parsed = StateSchema.safeParse(state);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join(".") || "state"}: ${i.message}`);
    throw new TypeError(`restoreKdNas: invalid state: ${msg.join("; ")}`);
  }
  const st = structuredClone(state) as KdNasState;
  for (const c of st.history) if (c.reward === null) c.reward = -Infinity;
  return fromState(st);
}

function fromState(s: KdNasState): KdNas {
  const o = s.options;
  const prng = Prng.fromState(s.prng);
  const models: Record<RewardModelKind, RewardModel> = {
    lstm: restoreRewardModel(s.models.lstm),
    mlp: restoreRewardModel(s.models.mlp),
  };
  const archs = new Map<string, KdNasArch>();
  for (const c of [...s.history, ...s.pending, ...s.queue]) archs.set(c.hash, c.arch);
  const seen = () => new Set([...s.history, ...s.pending, ...s.queue].map((c) => c.hash));

  const contextOf = (e: number): number[] => {
    const told = s.history.filter((c) => Number.isFinite(c.reward));
    const best = (xs: KdNasCandidate[]) => xs.reduce((m, c) => Math.max(m, c.reward!), 0);
    return [best(told.filter((c) => c.episode === e - 1)), best(told)];
  };

  const startEpisode = () => {
    s.episode++;
    const e = s.episode;
    const data = s.history.filter((c) => Number.isFinite(c.reward)).map((c) => ({
      choices: kdnasChoiceIndices(c.arch, o.space),
      context: c.context,
      reward: c.reward!,
    }));
    const trained = data.length >= 2;
    if (trained) {
      for (const kind of ["lstm", "mlp"] as const) {
        const losses = models[kind].fit(data);
        s.fits.push({ episode: e, kind, first: losses[0], last: losses.at(-1)! });
      }
    }
    const context = contextOf(e);
    const taken = seen();
    const pool: { arch: KdNasArch; hash: string }[] = [];
    for (let tries = 0; pool.length < o.poolSize && tries < 50 * o.poolSize; tries++) {
      const arch = sampleKdNasArch(o.space, prng);
      const hash = genomeHash(kdnasGenome(arch, o.space));
      if (taken.has(hash)) continue;
      taken.add(hash);
      pool.push({ arch, hash });
    }
    const scored = pool.map((p) => {
      const choices = kdnasChoiceIndices(p.arch, o.space);
      return {
        ...p,
        predicted: {
          lstm: trained ? models.lstm.predict(choices, context) : null,
          mlp: trained ? models.mlp.predict(choices, context) : null,
        },
      };
    });
    const eps = kdnasEpsilon(e, o.epsilon);
    for (let k = 0; k < o.perEpisode && scored.length > 0; k++) {
      const explore = !trained || prng.next() < eps;
      let at = 0;
      if (explore) at = prng.int(scored.length);
      else {
        scored.forEach((c, i) => {
          if (c.predicted[o.controller]! > scored[at].predicted[o.controller]!) at = i;
        });
      }
      const [c] = scored.splice(at, 1);
      archs.set(c.hash, c.arch);
      s.queue.push({
        id: -1,
        hash: c.hash,
        arch: c.arch,
        episode: e,
        origin: explore ? "random" : "controller",
        context,
        predicted: c.predicted,
      });
    }
  };

  const save = () => {
    s.prng = prng.state();
    s.models = { lstm: models.lstm.state(), mlp: models.mlp.state() };
  };

  return {
    ask(): Ask<Genome> | null {
      if (s.queue.length === 0) {
        if (s.pending.length > 0) return null; // the episode's tells first
        if (s.episode + 1 >= o.episodes) return null;
        startEpisode();
        save();
        if (s.queue.length === 0) return null;
      }
      const c = s.queue.shift()!;
      c.id = s.nextId++;
      s.pending.push(c);
      return {
        id: c.id,
        hash: c.hash,
        genome: kdnasGenome(c.arch, o.space),
        origin: c.origin,
        parents: [],
      };
    },
    tell(genome: Genome, fitness: number) {
      const hash = genomeHash(genome);
      const at = s.pending.findIndex((c) => c.hash === hash);
      if (at < 0) throw new RangeError(`kdnas: tell() of a genome that was not asked (${hash})`);
      const [c] = s.pending.splice(at, 1);
      c.reward = Number.isFinite(fitness) ? fitness : -Infinity;
      s.history.push(c);
      return c;
    },
    told(): Ask<Genome>[] {
      return s.history.map((c) => ({
        id: c.id,
        hash: c.hash,
        genome: kdnasGenome(c.arch, o.space),
        origin: c.origin,
        parents: [],
      }));
    },
    pending(): Ask<Genome>[] {
      return s.pending.map((c) => ({
        id: c.id,
        hash: c.hash,
        genome: kdnasGenome(c.arch, o.space),
        origin: c.origin,
        parents: [],
      }));
    },
    state(): KdNasState {
      save();
      return structuredClone(s);
    },
    archOf: (hash) => archs.get(hash),
  };
}

export interface KdNasEpisodeQuality {
  episode: number;
  epsilon: number;
  n: number;
  /** Spearman between predicted and measured rewards of the episode's candidates (held out:
   * the models had not seen them), per model kind; null before the first fit. */
  spearman: Record<RewardModelKind, number | null>;
  best: number;
  globalBest: number;
  controllerPicks: number;
}

/** Per episode: the controller's ranking quality and the best rewards so far. */
export function kdnasQuality(state: KdNasState): KdNasEpisodeQuality[] {
  const out: KdNasEpisodeQuality[] = [];
  let globalBest = -Infinity;
  for (let e = 0; e <= state.episode; e++) {
    const cs = state.history.filter((c) => c.episode === e && Number.isFinite(c.reward));
    const best = Math.max(-Infinity, ...cs.map((c) => c.reward!));
    globalBest = Math.max(globalBest, best);
    const rho = (kind: RewardModelKind) =>
      cs.length >= 3 && cs.every((c) => c.predicted[kind] !== null)
        ? spearman(cs.map((c) => c.predicted[kind]!), cs.map((c) => c.reward!))
        : null;
    out.push({
      episode: e,
      epsilon: kdnasEpsilon(e, state.options.epsilon),
      n: cs.length,
      spearman: { lstm: rho("lstm"), mlp: rho("mlp") },
      best,
      globalBest,
      controllerPicks: cs.filter((c) => c.origin === "controller").length,
    });
  }
  return out;
}
