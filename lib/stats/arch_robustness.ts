/**
 * Architecture-robustness statistics (the closing analysis of RoSearch; its exact statistics
 * are unknown, these are ours), from every evaluated candidate's `architectureStats` and
 * robustness. Used by the rosearch_sst2 main job and by notebook 04; the charts of the same rows
 * are lib/viz's `archStatsCharts`.
 *
 * - Spearman rank correlation of each scalar statistic with robustness (`spearman`: Pearson
 *   correlation of the ranks, ties given their average rank). p-value: two-sided permutation
 *   test (`spearmanPValue`: robustness shuffled `permutations` times with a seeded Prng, default
 *   9,999, seed 0), p = (1 + #{|rho_perm| >= |rho|}) / (1 + permutations) (Phipson & Smyth 2010:
 *   never 0). Chosen over the t-approximation because n is small (tens of candidates) and ties
 *   are many (cell counts, sizes). Statistics that are constant over the candidates get
 *   rho = NaN, p = NaN (null in JSON, "n/a" in Markdown).
 * - Least squares (`leastSquares`): robustness ~ intercept + standardized statistics (z-scores:
 *   each beta is the change in robustness per standard deviation), solved by Householder QR;
 *   R² and adjusted R². Default predictors: attentionShare, convolutionShare, ffnShare, depth,
 *   hiddenSize, params (six, so that n of a few tens keeps some residual degrees of freedom);
 *   constant or missing predictors are dropped and listed. No p-values for the coefficients (n
 *   is small and the candidates of an evolutionary search are not independent samples): read
 *   them as a description of this search, not as inference.
 *
 * The JSON of `archStatsReport` and the text of `archStatsMarkdown` are the committed
 * experiments/rosearch_sst2/results/arch_stats.{json,md} (the .md after `deno fmt`); a test
 * recomputes them from candidates.json.
 */
import { holm } from "./holm.ts";
import { leastSquares } from "./least_squares.ts";
import { spearman } from "./spearman.ts";
import { spearmanPValue } from "./spearman_p_value.ts";

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

/** The predictors of the regression unless `options.regressors` says otherwise. */
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
  /** Holm-adjusted over the statistics of the report (NaN rows left out of the family). */
  pHolm: number;
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

export interface ArchStatsReportOptions {
  /** Permutations of each Spearman p-value. Default 9,999. */
  permutations?: number;
  /** Seed of every permutation test (each statistic starts from it). Default 0. */
  seed?: number;
  /** Predictors of the regression. Default `DEFAULT_REGRESSORS`. */
  regressors?: string[];
}

const numeric = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

/** Spearman table and regression for the rows with a finite robustness. */
export function archStatsReport(
  rows: readonly ArchStatRow[],
  options: ArchStatsReportOptions = {},
): ArchStatsReport {
  const { permutations = 9999, seed = 0, regressors = DEFAULT_REGRESSORS } = options;
  const ok = rows.filter((r) => numeric(r.robustness) !== undefined);
  const y = ok.map((r) => r.robustness);
  const unadjusted = SCALAR_STATS.map((stat) => {
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
  const adjusted = holm(unadjusted.map((r) => r.pValue));
  const spearmanRows: SpearmanRow[] = unadjusted.map((r, i) => ({ ...r, pHolm: adjusted[i] }));
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
      regression = {
        n: ok.length,
        predictors: usable,
        dropped,
        intercept: fit.beta[0],
        coefficients: stats.map((s, j) => ({ ...s, beta: fit.beta[j + 1] })),
        r2: fit.r2,
        adjustedR2: fit.adjustedR2,
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

/** The Spearman table and the regression as Markdown. */
export function archStatsMarkdown(report: ArchStatsReport): string {
  const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
  const lines = [
    `Spearman rank correlation with ${report.outcome} (n = ${report.n}; two-sided permutation ` +
    `p-values, ${report.options.permutations} permutations, seed ${report.options.seed}; ` +
    `Holm p adjusted over the ${report.spearman.length} statistics)`,
    "",
    "| statistic | rho | n | p | Holm p |",
    "|---|---:|---:|---:|---:|",
    ...report.spearman.map((r) =>
      `| ${r.stat} | ${f(r.rho)} | ${r.n} | ${f(r.pValue, 4)} | ${f(r.pHolm ?? NaN, 4)} |`
    ),
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
