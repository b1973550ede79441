/**
 * lib/stats: the statistics of the project's reports, in plain TypeScript (no tfjs, no lib/viz;
 * lib/viz imports from here). Correlation (`pearson`, `spearman` on average `ranks`, a seeded
 * permutation `spearmanPValue`), least squares by Householder QR with R² and adjusted R²,
 * accuracy comparisons (`wilson` interval for a proportion, exact `mcnemar` test and a
 * `pairedBootstrap` interval for two models on the same examples), `holm` adjustment of a family
 * of p-values, and the architecture-robustness report of RoSearch's closing analysis.
 *
 * Edge behaviour is documented on each function: correlations are NaN for fewer than 2 pairs or
 * a constant variable; every random draw comes from a seeded `Prng` (lib/random).
 *
 * @example
 * ```ts
 * const { lower, upper } = wilson(81, 263); // [0.2553, 0.3662]
 * const { pValue } = mcnemarPaired(correctA, correctB);
 * const adjusted = holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export type { BinaryOutcomes, Interval } from "./types.ts";
export { ranks } from "./ranks.ts";
export { pearson } from "./pearson.ts";
export { spearman } from "./spearman.ts";
export { spearmanPValue, type SpearmanPValueOptions } from "./spearman_p_value.ts";
export { leastSquares, type LeastSquaresFit } from "./least_squares.ts";
export { wilson, type WilsonInterval, type WilsonOptions } from "./wilson.ts";
export { mcnemar, mcnemarPaired, type McNemarResult } from "./mcnemar.ts";
export {
  pairedBootstrap,
  type PairedBootstrapOptions,
  type PairedBootstrapResult,
} from "./paired_bootstrap.ts";
export { holm } from "./holm.ts";
export {
  type ArchStatRow,
  archStatsMarkdown,
  type ArchStatsReport,
  archStatsReport,
  type ArchStatsReportOptions,
  chartRows,
  DEFAULT_REGRESSORS,
  type RegressionResult,
  SCALAR_STATS,
  type SpearmanRow,
} from "./arch_robustness.ts";
