/**
 * KD-NAS's controller model: a small regressor of a candidate's reward from learned embeddings of
 * its choices and two context inputs (the previous episode's best reward and the global best, as
 * the third-party re-implementations feed them; METHODS.md). Plain JavaScript with hand-written
 * gradients (no tfjs: lib/search never loads it), so its weights are JSON and a resumed search
 * continues with exactly the same controller. Two kinds with one interface:
 * - `lstm` (the re-implementations'): one step per choice, input = [embedding of the choice's
 *   value, context], prediction = w . h_last + b;
 * - `mlp`: the concatenated embeddings and context -> tanh hidden layer -> prediction.
 * Training: full-batch Adam on the mean squared error of standardised rewards (mean and spread of
 * the training rewards, stored with the model), warm-started from the current weights.
 */
import { Prng, type PrngState } from "../random/mod.ts";

export type RewardModelKind = "lstm" | "mlp";

export interface RewardModelOptions {
  kind: RewardModelKind;
  /** Values per choice (the embedding tables' rows). */
  cardinalities: number[];
  /** Embedding width. Default 8. */
  embedding?: number;
  /** Hidden width. Default 16. */
  hidden?: number;
  /** Context inputs per example. Default 2 (previous-episode best, global best). */
  context?: number;
  /** Adam learning rate. Default 0.01. */
  learningRate?: number;
  /** Full-batch iterations per `fit`. Default 300. */
  iterations?: number;
  seed?: number;
}

export interface RewardExample {
  choices: number[];
  context: number[];
  reward: number;
}

export interface RewardModelState {
  options: Required<RewardModelOptions>;
  params: Record<string, number[]>;
  adam: { m: Record<string, number[]>; v: Record<string, number[]>; t: number };
  target: { mean: number; std: number };
  prng: PrngState;
}

export interface RewardModel {
  readonly kind: RewardModelKind;
  predict(choices: number[], context: number[]): number;
  /** Trains on `data`; returns the mean squared error (standardised) after each iteration. */
  fit(data: readonly RewardExample[]): number[];
  /** Loss and gradients on `data` (standardised targets), for tests. */
  lossAndGrads(
    data: readonly RewardExample[],
  ): { loss: number; grads: Record<string, Float64Array> };
  readonly params: Record<string, Float64Array>;
  state(): RewardModelState;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Shapes of the parameters of a model kind: name -> [rows, cols]. */
function shapes(o: Required<RewardModelOptions>): Record<string, [number, number]> {
  const d = o.embedding, h = o.hidden, k = o.context, n = o.cardinalities.length;
  const emb = Object.fromEntries(
    o.cardinalities.map((c, i) => [`emb${i}`, [c, d] as [number, number]]),
  );
  if (o.kind === "mlp") {
    return { ...emb, w1: [h, n * d + k], b1: [h, 1], w2: [1, h], b2: [1, 1] };
  }
  return { ...emb, wx: [4 * h, d + k], wh: [4 * h, h], b: [4 * h, 1], wo: [1, h], bo: [1, 1] };
}

export function createRewardModel(options: RewardModelOptions): RewardModel {
  const o: Required<RewardModelOptions> = {
    embedding: 8,
    hidden: 16,
    context: 2,
    learningRate: 0.01,
    iterations: 300,
    seed: 0,
    ...options,
  };
  if (o.kind !== "lstm" && o.kind !== "mlp") {
    throw new RangeError(`reward model: kind must be "lstm" or "mlp", got ${o.kind}`);
  }
  const prng = Prng.fromSeed(o.seed);
  const params: Record<string, Float64Array> = {};
  for (const [name, [r, c]] of Object.entries(shapes(o))) {
    const scale = name.startsWith("b") ? 0 : name.startsWith("emb") ? 0.5 : 1 / Math.sqrt(c);
    params[name] = Float64Array.from({ length: r * c }, () => scale * prng.normal());
  }
  if (o.kind === "lstm") params.b.fill(1, o.hidden, 2 * o.hidden); // forget-gate bias 1
  return modelOf(o, params, null, { mean: 0, std: 1 }, prng);
}

export function restoreRewardModel(s: RewardModelState): RewardModel {
  const f = (r: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Float64Array.from(v)]));
  return modelOf(
    s.options,
    f(s.params),
    { m: f(s.adam.m), v: f(s.adam.v), t: s.adam.t },
    s.target,
    Prng.fromState(s.prng),
  );
}

function modelOf(
  o: Required<RewardModelOptions>,
  params: Record<string, Float64Array>,
  adam0: { m: Record<string, Float64Array>; v: Record<string, Float64Array>; t: number } | null,
  target0: { mean: number; std: number },
  prng: Prng,
): RewardModel {
  const zeros = () =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, new Float64Array(v.length)]));
  const adam = adam0 ?? { m: zeros(), v: zeros(), t: 0 };
  let target = { ...target0 };
  const d = o.embedding, h = o.hidden, k = o.context, n = o.cardinalities.length;

  const check = (choices: number[], context: number[]) => {
    if (choices.length !== n || context.length !== k) {
      throw new RangeError(
        `reward model: expected ${n} choices and ${k} context values, got ` +
          `${choices.length} and ${context.length}`,
      );
    }
    choices.forEach((c, i) => {
      if (!(Number.isInteger(c) && c >= 0 && c < o.cardinalities[i])) {
        throw new RangeError(
          `reward model: choice ${i} = ${c}, allowed 0..${o.cardinalities[i] - 1}`,
        );
      }
    });
  };

  /** Forward pass on one example (standardised output) with a backward closure. */
  const forward = (choices: number[], context: number[]) => {
    const embOf = (i: number) => params[`emb${i}`].subarray(choices[i] * d, (choices[i] + 1) * d);
    if (o.kind === "mlp") {
      const x = new Float64Array(n * d + k);
      for (let i = 0; i < n; i++) x.set(embOf(i), i * d);
      x.set(context, n * d);
      const { w1, b1, w2, b2 } = params;
      const a = new Float64Array(h);
      for (let j = 0; j < h; j++) {
        let s = b1[j];
        for (let q = 0; q < x.length; q++) s += w1[j * x.length + q] * x[q];
        a[j] = Math.tanh(s);
      }
      let y = b2[0];
      for (let j = 0; j < h; j++) y += w2[j] * a[j];
      const backward = (dy: number, g: Record<string, Float64Array>) => {
        g.b2[0] += dy;
        const dx = new Float64Array(x.length);
        for (let j = 0; j < h; j++) {
          g.w2[j] += dy * a[j];
          const ds = dy * w2[j] * (1 - a[j] * a[j]);
          g.b1[j] += ds;
          for (let q = 0; q < x.length; q++) {
            g.w1[j * x.length + q] += ds * x[q];
            dx[q] += ds * w1[j * x.length + q];
          }
        }
        for (let i = 0; i < n; i++) {
          const ge = g[`emb${i}`];
          for (let q = 0; q < d; q++) ge[choices[i] * d + q] += dx[i * d + q];
        }
      };
      return { y, backward };
    }
    // LSTM over the choices
    const { wx, wh, b, wo, bo } = params;
    const m = d + k;
    const xs: Float64Array[] = [], gates: Float64Array[] = [], cs: Float64Array[] = [];
    const hs: Float64Array[] = [new Float64Array(h)];
    cs.push(new Float64Array(h));
    for (let t = 0; t < n; t++) {
      const x = new Float64Array(m);
      x.set(embOf(t), 0);
      x.set(context, d);
      xs.push(x);
      const z = new Float64Array(4 * h), hp = hs[t];
      for (let r = 0; r < 4 * h; r++) {
        let s = b[r];
        for (let q = 0; q < m; q++) s += wx[r * m + q] * x[q];
        for (let q = 0; q < h; q++) s += wh[r * h + q] * hp[q];
        z[r] = r < 3 * h ? sigmoid(s) : Math.tanh(s); // i, f, o, g
      }
      gates.push(z);
      const c = new Float64Array(h), hn = new Float64Array(h);
      for (let j = 0; j < h; j++) {
        c[j] = z[h + j] * cs[t][j] + z[j] * z[3 * h + j];
        hn[j] = z[2 * h + j] * Math.tanh(c[j]);
      }
      cs.push(c);
      hs.push(hn);
    }
    let y = bo[0];
    for (let j = 0; j < h; j++) y += wo[j] * hs[n][j];
    const backward = (dy: number, g: Record<string, Float64Array>) => {
      g.bo[0] += dy;
      let dh = new Float64Array(h), dc = new Float64Array(h);
      for (let j = 0; j < h; j++) {
        g.wo[j] += dy * hs[n][j];
        dh[j] = dy * wo[j];
      }
      for (let t = n - 1; t >= 0; t--) {
        const z = gates[t], c = cs[t + 1], cp = cs[t], x = xs[t], hp = hs[t];
        const dz = new Float64Array(4 * h);
        for (let j = 0; j < h; j++) {
          const tc = Math.tanh(c[j]);
          const dcj = dc[j] + dh[j] * z[2 * h + j] * (1 - tc * tc);
          const i = z[j], f = z[h + j], og = z[2 * h + j], gg = z[3 * h + j];
          dz[j] = dcj * gg * i * (1 - i);
          dz[h + j] = dcj * cp[j] * f * (1 - f);
          dz[2 * h + j] = dh[j] * tc * og * (1 - og);
          dz[3 * h + j] = dcj * i * (1 - gg * gg);
          dc[j] = dcj * f;
        }
        const dhp = new Float64Array(h), dx = new Float64Array(m);
        for (let r = 0; r < 4 * h; r++) {
          g.b[r] += dz[r];
          for (let q = 0; q < m; q++) {
            g.wx[r * m + q] += dz[r] * x[q];
            dx[q] += dz[r] * wx[r * m + q];
          }
          for (let q = 0; q < h; q++) {
            g.wh[r * h + q] += dz[r] * hp[q];
            dhp[q] += dz[r] * wh[r * h + q];
          }
        }
        const ge = g[`emb${t}`];
        for (let q = 0; q < d; q++) ge[choices[t] * d + q] += dx[q];
        dh = dhp;
        dc = new Float64Array(dc);
      }
    };
    return { y, backward };
  };

  const lossAndGrads = (data: readonly RewardExample[]) => {
    const grads = zeros();
    let loss = 0;
    for (const ex of data) {
      check(ex.choices, ex.context);
      const { y, backward } = forward(ex.choices, ex.context);
      const e = y - (ex.reward - target.mean) / target.std;
      loss += e * e / data.length;
      backward(2 * e / data.length, grads);
    }
    return { loss, grads };
  };

  const model: RewardModel = {
    kind: o.kind,
    params,
    predict(choices, context) {
      check(choices, context);
      return forward(choices, context).y * target.std + target.mean;
    },
    lossAndGrads,
    fit(data) {
      if (data.length === 0) return [];
      const rs = data.map((x) => x.reward);
      const mean = rs.reduce((a, b) => a + b, 0) / rs.length;
      const sd = Math.sqrt(rs.reduce((a, b) => a + (b - mean) ** 2, 0) / rs.length);
      target = { mean, std: sd > 1e-9 ? sd : 1 };
      const losses: number[] = [];
      const [b1, b2, eps] = [0.9, 0.999, 1e-8];
      for (let it = 0; it < o.iterations; it++) {
        const { loss, grads } = lossAndGrads(data);
        losses.push(loss);
        adam.t++;
        for (const [name, p] of Object.entries(params)) {
          const g = grads[name], m = adam.m[name], v = adam.v[name];
          for (let q = 0; q < p.length; q++) {
            m[q] = b1 * m[q] + (1 - b1) * g[q];
            v[q] = b2 * v[q] + (1 - b2) * g[q] * g[q];
            const mh = m[q] / (1 - b1 ** adam.t), vh = v[q] / (1 - b2 ** adam.t);
            p[q] -= o.learningRate * mh / (Math.sqrt(vh) + eps);
          }
        }
      }
      return losses;
    },
    state() {
      const f = (r: Record<string, Float64Array>) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [...v]]));
      return {
        options: o,
        params: f(params),
        adam: { m: f(adam.m), v: f(adam.v), t: adam.t },
        target: { ...target },
        prng: prng.state(),
      };
    },
  };
  return model;
}
