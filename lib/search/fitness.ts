/**
 * Fitness functions, one registry (`FITNESS`) keyed by name. No tfjs here.
 *
 * - `rosearch` (default; our formula, RoSearch's exact one is unknown, METHODS.md):
 *   `wAcc * cleanAccuracy + wRob * robustness
 *    - lambda * max(0, (targetRatio - ratio) / targetRatio)
 *    - mu * max(0, (latencyMs - latencyBudgetMs) / latencyBudgetMs)`  (latency term only when a
 *   budget is set), with ratio = teacherParams / params (weight compression, as the paper's
 *   4.6x-6.5x). Defaults: wAcc 1, wRob 1, targetRatio 5, lambda 1, mu 1, no latency budget.
 * - `accuracy_only`: cleanAccuracy (the usual KD-search objective, a baseline).
 * - `kdnas_reward`: MnasNet-form reward used by KD-NAS re-implementations (unconfirmed, see
 *   METHODS.md): `quality * (latencyMs / (beta * teacherLatencyMs)) ^ alpha`, alpha < 0;
 *   quality = (1 - gamma) cleanAccuracy + gamma robustness (ours: gamma > 0 adds RoSearch's
 *   robustness, so KD-NAS and RoSearch can search on one fitness). Defaults: alpha -0.07
 *   (MnasNet's w), beta 1, gamma 0.
 * Every result records the options used and the terms, so a run record shows how it was scored.
 */

/** What an evaluated candidate reports. Accuracies are fractions in [0, 1]. */
export interface CandidateMetrics {
  cleanAccuracy: number;
  /** Accuracy under attack (TextAttack: failed attacks / all examples). */
  robustness?: number;
  params?: number;
  teacherParams?: number;
  latencyMs?: number;
  teacherLatencyMs?: number;
}

export interface FitnessResult {
  name: FitnessName;
  fitness: number;
  terms: Record<string, number>;
  options: Record<string, number | null>;
}

export interface RoSearchFitnessOptions {
  wAcc: number;
  wRob: number;
  targetRatio: number;
  lambda: number;
  /** null = no latency penalty. */
  latencyBudgetMs: number | null;
  mu: number;
}

export interface KdNasRewardOptions {
  alpha: number;
  beta: number;
  /** Weight of accuracy under attack in the quality term (0: accuracy only). */
  gamma: number;
}

export interface FitnessFunction<O> {
  description: string;
  defaults: Readonly<O>;
  compute(metrics: CandidateMetrics, options?: Partial<O>): FitnessResult;
}

function need(
  metrics: CandidateMetrics,
  key: keyof CandidateMetrics,
  name: string,
  min = 0,
): number {
  const v = metrics[key];
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
    throw new RangeError(
      `fitness "${name}": metrics.${key} must be a finite number >= ${min}, got ${v}`,
    );
  }
  return v;
}

const rosearch: FitnessFunction<RoSearchFitnessOptions> = {
  description:
    "wAcc*acc + wRob*robustness - compression shortfall penalty - optional latency penalty",
  defaults: { wAcc: 1, wRob: 1, targetRatio: 5, lambda: 1, latencyBudgetMs: null, mu: 1 },
  compute(metrics, options = {}) {
    const o = { ...rosearch.defaults, ...options };
    const acc = need(metrics, "cleanAccuracy", "rosearch");
    const rob = need(metrics, "robustness", "rosearch");
    const ratio = need(metrics, "teacherParams", "rosearch", 1) /
      need(metrics, "params", "rosearch", 1);
    const sizePenalty = o.lambda * Math.max(0, (o.targetRatio - ratio) / o.targetRatio);
    let latencyPenalty = 0;
    if (o.latencyBudgetMs !== null) {
      const lat = need(metrics, "latencyMs", "rosearch");
      latencyPenalty = o.mu * Math.max(0, (lat - o.latencyBudgetMs) / o.latencyBudgetMs);
    }
    const fitness = o.wAcc * acc + o.wRob * rob - sizePenalty - latencyPenalty;
    return {
      name: "rosearch",
      fitness,
      terms: {
        cleanAccuracy: acc,
        robustness: rob,
        compressionRatio: ratio,
        sizePenalty,
        latencyPenalty,
      },
      options: { ...o },
    };
  },
};

const accuracyOnly: FitnessFunction<Record<string, never>> = {
  description: "clean accuracy only",
  defaults: {},
  compute(metrics) {
    const acc = need(metrics, "cleanAccuracy", "accuracy_only");
    return { name: "accuracy_only", fitness: acc, terms: { cleanAccuracy: acc }, options: {} };
  },
};

const kdnasReward: FitnessFunction<KdNasRewardOptions> = {
  description: "MnasNet-form reward quality * (lat_s / (beta * lat_t))^alpha, alpha < 0",
  defaults: { alpha: -0.07, beta: 1, gamma: 0 },
  compute(metrics, options = {}) {
    const o = { ...kdnasReward.defaults, ...options };
    if (!(o.alpha < 0)) {
      throw new RangeError(`fitness "kdnas_reward": alpha must be < 0, got ${o.alpha}`);
    }
    if (!(o.beta > 0)) {
      throw new RangeError(`fitness "kdnas_reward": beta must be > 0, got ${o.beta}`);
    }
    if (!(o.gamma >= 0 && o.gamma <= 1)) {
      throw new RangeError(`fitness "kdnas_reward": gamma must be in [0, 1], got ${o.gamma}`);
    }
    const acc = need(metrics, "cleanAccuracy", "kdnas_reward");
    const q = o.gamma > 0
      ? (1 - o.gamma) * acc + o.gamma * need(metrics, "robustness", "kdnas_reward")
      : acc;
    const ls = need(metrics, "latencyMs", "kdnas_reward", Number.MIN_VALUE);
    const lt = need(metrics, "teacherLatencyMs", "kdnas_reward", Number.MIN_VALUE);
    const factor = Math.pow(ls / (o.beta * lt), o.alpha);
    return {
      name: "kdnas_reward",
      fitness: q * factor,
      terms: { quality: q, latencyRatio: ls / lt, latencyFactor: factor },
      options: { ...o },
    };
  },
};

export const FITNESS = {
  rosearch,
  accuracy_only: accuracyOnly,
  kdnas_reward: kdnasReward,
} as const;

export type FitnessName = keyof typeof FITNESS;
export const DEFAULT_FITNESS: FitnessName = "rosearch";

/** Looks a fitness up by name (errors list the valid names) and computes it. */
export function computeFitness(
  name: string,
  metrics: CandidateMetrics,
  options: Record<string, number | null> = {},
): FitnessResult {
  if (!Object.hasOwn(FITNESS, name)) {
    throw new RangeError(`Unknown fitness "${name}"; valid: ${Object.keys(FITNESS).join(", ")}`);
  }
  const f = FITNESS[name as FitnessName] as FitnessFunction<Record<string, number | null>>;
  for (const k of Object.keys(options)) {
    if (!Object.hasOwn(f.defaults, k)) {
      throw new RangeError(
        `fitness "${name}": unknown option "${k}"; valid: ${
          Object.keys(f.defaults).join(", ") || "(none)"
        }`,
      );
    }
  }
  return f.compute(metrics, options);
}
