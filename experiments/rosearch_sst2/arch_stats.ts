/**
 * Architecture-robustness statistics (the closing analysis of RoSearch; its exact statistics
 * are unknown, these are ours), from every evaluated candidate's `architectureStats` and
 * robustness. Used by the main job and by notebook 04. No tfjs.
 *
 * - Spearman rank correlation of each scalar statistic with robustness: Pearson correlation of
 *   the ranks, ties given their average rank. p-value: two-sided permutation test (robustness
 *   shuffled `permutations` times with a seeded Prng, default 9,999, seed 0),
 *   p = (1 + #{|rho_perm| >= |rho|}) / (1 + permutations) (Phipson & Smyth 2010: never 0).
 *   Chosen over the t-approximation because n is small (tens of candidates) and ties are many
 *   (cell counts, sizes). Statistics that are constant over the candidates get rho = NaN, p = NaN.
 * - Least squares: robustness ~ intercept + standardized statistics (z-scores: each beta is
 *   the change in robustness per standard deviation), solved by Householder QR; R² and adjusted
 *   R². Default predictors: attentionShare, convolutionShare, ffnShare, depth, hiddenSize,
 *   params (six, so that n of a few tens keeps some residual degrees of freedom); constant
 *   predictors are dropped and listed. No p-values for the coefficients (n is small and the
 *   candidates of an evolutionary search are not independent samples): read them as a
 *   description of this search, not as inference.
 * - Charts (lib/viz): `statScatter` per statistic, `presenceBoxplot` by operation family.
 */
import { Prng } from "../../lib/random/mod.ts";
import { type Chart, presenceBoxplot, statScatter } from "../../lib/viz/mod.ts";

/** The scalar statistics of lib/search_space `ArchitectureStats` that are correlated. */
export const SCALAR_STATS = [
  "numCells",
  "numNodes",
  "depth",
  "width",
  "branches",
  "attentionShare",
  "convolutionShare",
  "ffnShare",
  "poolShare",
  "identityShare",
  "embeddingSize",
  "hiddenSize",
  "params",
  "macs",
] as const;

export const DEFAULT_REGRESSORS = [
  "attentionShare",
  "convolutionShare",
  "ffnShare",
  "depth",
  "hiddenSize",
  "params",
];

/** One evaluated candidate: its statistics (any object of numbers; opCounts optional). */
export interface ArchStatRow {
  hash?: string;
  robustness: number;
  cleanAccuracy?: number;
  stats: Record<string, unknown>;
}

export interface SpearmanRow {
  stat: string;
  rho: number;
  n: number;
  pValue: number;
}

export interface RegressionResult {
  n: number;
  predictors: string[];
  dropped: string[];
  intercept: number;
  /** Per standardized predictor: robustness change per standard deviation. */
  coefficients: { name: string; beta: number; mean: number; sd: number }[];
  r2: number;
  adjustedR2: number;
  residualSd: number;
}

export interface ArchStatsReport {
  n: number;
  outcome: string;
  spearman: SpearmanRow[];
  regression: RegressionResult | null;
  /** Why the regression is missing, when it is. */
  regressionNote: string | null;
  options: { permutations: number; seed: number; regressors: string[] };
}

/** Ranks from 1, ties averaged. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = r;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation; NaN when either side is constant or n < 2. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pearson: lengths differ (${n} vs ${y.length})`);
  if (n < 2) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rho (Pearson of average ranks). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(ranks(x), ranks(y));
}

/** Two-sided permutation p-value of Spearman's rho (see the file comment). */
export function spearmanPValue(
  x: readonly number[],
  y: readonly number[],
  options: { permutations?: number; seed?: number } = {},
): number {
  const { permutations = 9999, seed = 0 } = options;
  const rx = ranks(x), ry = ranks(y);
  const rho = pearson(rx, ry);
  if (Number.isNaN(rho)) return NaN;
  const prng = Prng.fromSeed(seed);
  const perm = [...ry];
  let hits = 0;
  for (let b = 0; b < permutations; b++) {
    prng.shuffle(perm);
    if (Math.abs(pearson(rx, perm)) >= Math.abs(rho) - 1e-12) hits++;
  }
  return (1 + hits) / (1 + permutations);
}

/** Least squares with an intercept column, by Householder QR. Throws when rank-deficient. */
export function leastSquares(
  X: readonly (readonly number[])[],
  y: readonly number[],
): { beta: number[]; r2: number; residualSd: number } {
  const n = X.length, p = (X[0]?.length ?? 0) + 1;
  if (n !== y.length) throw new RangeError(`leastSquares: ${n} rows but ${y.length} outcomes`);
  if (n < p) throw new RangeError(`leastSquares: ${n} rows for ${p} coefficients`);
  const A = X.map((row) => [1, ...row]); // [n, p]
  const b = [...y];
  for (let k = 0; k < p; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += A[i][k] ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-12) throw new RangeError(`leastSquares: column ${k} is linearly dependent`);
    const alpha = A[k][k] > 0 ? -norm : norm;
    const v = new Array<number>(n).fill(0);
    for (let i = k; i < n; i++) v[i] = A[i][k];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += v[i] ** 2;
    if (vv === 0) continue;
    for (let j = k; j < p; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i] * A[i][j];
      const f = (2 * s) / vv;
      for (let i = k; i < n; i++) A[i][j] -= f * v[i];
    }
    let s = 0;
    for (let i = k; i < n; i++) s += v[i] * b[i];
    const f = (2 * s) / vv;
    for (let i = k; i < n; i++) b[i] -= f * v[i];
  }
  for (let k = 0; k < p; k++) {
    if (Math.abs(A[k][k]) < 1e-9 * Math.max(1, Math.abs(A[0][0]))) {
      throw new RangeError(`leastSquares: column ${k} is linearly dependent`);
    }
  }
  const beta = new Array<number>(p).fill(0);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < p; j++) s -= A[k][j] * beta[j];
    beta[k] = s / A[k][k];
  }
  const my = y.reduce((a, c) => a + c, 0) / n;
  let ssRes = 0, ssTot = 0;
  X.forEach((row, i) => {
    const pred = beta[0] + row.reduce((a, x, j) => a + x * beta[j + 1], 0);
    ssRes += (y[i] - pred) ** 2;
    ssTot += (y[i] - my) ** 2;
  });
  return {
    beta,
    r2: ssTot === 0 ? NaN : 1 - ssRes / ssTot,
    residualSd: n > p ? Math.sqrt(ssRes / (n - p)) : NaN,
  };
}

const numeric = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

/** Spearman table and regression for the rows with a finite robustness. */
export function archStatsReport(
  rows: readonly ArchStatRow[],
  options: { permutations?: number; seed?: number; regressors?: string[] } = {},
): ArchStatsReport {
  const { permutations = 9999, seed = 0, regressors = DEFAULT_REGRESSORS } = options;
  const ok = rows.filter((r) => numeric(r.robustness) !== undefined);
  const y = ok.map((r) => r.robustness);
  const spearmanRows: SpearmanRow[] = SCALAR_STATS.map((stat) => {
    const pairs = ok
      .map((r) => [numeric(r.stats[stat]), r.robustness] as const)
      .filter((p): p is readonly [number, number] => p[0] !== undefined);
    const xs = pairs.map((p) => p[0]), ys = pairs.map((p) => p[1]);
    return {
      stat,
      rho: spearman(xs, ys),
      n: pairs.length,
      pValue: spearmanPValue(xs, ys, { permutations, seed }),
    };
  });
  let regression: RegressionResult | null = null;
  let note: string | null = null;
  const usable: string[] = [], dropped: string[] = [];
  const cols = new Map<string, number[]>();
  for (const name of regressors) {
    const col = ok.map((r) => numeric(r.stats[name]));
    if (col.some((v) => v === undefined)) {
      dropped.push(name);
      continue;
    }
    const xs = col as number[];
    const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
    if (!(sd > 0)) {
      dropped.push(name);
      continue;
    }
    usable.push(name);
    cols.set(name, xs);
  }
  if (ok.length < usable.length + 2) {
    note = `${ok.length} candidates are too few for ${usable.length} predictors plus an intercept`;
  } else if (usable.length === 0) {
    note = "no predictor varies over the candidates";
  } else {
    const stats = usable.map((name) => {
      const xs = cols.get(name)!;
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
      return { name, mean, sd };
    });
    const X = ok.map((_, i) => stats.map((s) => (cols.get(s.name)![i] - s.mean) / s.sd));
    try {
      const fit = leastSquares(X, y);
      const n = ok.length, p = usable.length;
      regression = {
        n,
        predictors: usable,
        dropped,
        intercept: fit.beta[0],
        coefficients: stats.map((s, j) => ({ ...s, beta: fit.beta[j + 1] })),
        r2: fit.r2,
        adjustedR2: n - p - 1 > 0 ? 1 - (1 - fit.r2) * (n - 1) / (n - p - 1) : NaN,
        residualSd: fit.residualSd,
      };
    } catch (e) {
      note = (e as Error).message;
    }
  }
  return {
    n: ok.length,
    outcome: "robustness",
    spearman: spearmanRows,
    regression,
    regressionNote: note,
    options: { permutations, seed, regressors },
  };
}

/** Rows flattened for the charts: robustness, cleanAccuracy and every statistic at top level. */
export function chartRows(rows: readonly ArchStatRow[]): Record<string, unknown>[] {
  return rows.map((r) => ({
    ...r.stats,
    robustness: r.robustness,
    cleanAccuracy: r.cleanAccuracy,
  }));
}

/** `statScatter` over the scalar statistics and `presenceBoxplot` by operation family. */
export function archStatsCharts(
  rows: readonly ArchStatRow[],
  options: { stats?: readonly string[] } = {},
): { scatter: Chart; boxplot: Chart } {
  const data = chartRows(rows);
  const stats = [...(options.stats ?? SCALAR_STATS)];
  return {
    scatter: statScatter(data, {
      stat: stats,
      y: "robustness",
      title: "Robustness vs architecture statistics",
      subtitle: `${rows.length} searched candidates; line: least squares with 95% band`,
    }),
    boxplot: presenceBoxplot(data, {
      y: "robustness",
      group: "family",
      title: "Robustness with and without each operation family",
    }),
  };
}

/** The Spearman table and the regression as Markdown. */
export function archStatsMarkdown(report: ArchStatsReport): string {
  const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
  const lines = [
    `Spearman rank correlation with ${report.outcome} (n = ${report.n}; two-sided permutation ` +
    `p-values, ${report.options.permutations} permutations, seed ${report.options.seed})`,
    "",
    "| statistic | rho | n | p |",
    "|---|---:|---:|---:|",
    ...report.spearman.map((r) => `| ${r.stat} | ${f(r.rho)} | ${r.n} | ${f(r.pValue, 4)} |`),
    "",
  ];
  const reg = report.regression;
  if (reg) {
    lines.push(
      `Least squares: ${report.outcome} ~ standardized statistics (n = ${reg.n}, ` +
        `R² = ${f(reg.r2)}, adjusted R² = ${f(reg.adjustedR2)}, residual sd = ${
          f(reg.residualSd)
        })`,
      "",
      "| predictor | beta per sd | mean | sd |",
      "|---|---:|---:|---:|",
      `| (intercept) | ${f(reg.intercept)} | | |`,
      ...reg.coefficients.map((c) =>
        `| ${c.name} | ${f(c.beta)} | ${f(c.mean, 3)} | ${f(c.sd, 3)} |`
      ),
    );
    if (reg.dropped.length) {
      lines.push("", `Dropped (constant or missing): ${reg.dropped.join(", ")}`);
    }
  } else {
    lines.push(`Least squares: not fitted (${report.regressionNote}).`);
  }
  return lines.join("\n") + "\n";
}
