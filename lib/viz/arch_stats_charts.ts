/**
 * `archStatsCharts`: the charts of the architecture-robustness report (lib/stats
 * `archStatsReport`) for the same rows: `statScatter` of robustness against each scalar
 * statistic, and `presenceBoxplot` of robustness with and without each operation family.
 */
import { type ArchStatRow, chartRows, SCALAR_STATS } from "../stats/mod.ts";
import type { Chart } from "./chart.ts";
import { presenceBoxplot } from "./presence_boxplot.ts";
import { statScatter } from "./stat_scatter.ts";

export interface ArchStatsChartsOptions {
  /** Statistics of the scatter grid. Default lib/stats `SCALAR_STATS` (all fourteen). */
  stats?: readonly string[];
}

/** `statScatter` over the scalar statistics and `presenceBoxplot` by operation family. */
export function archStatsCharts(
  rows: readonly ArchStatRow[],
  options: ArchStatsChartsOptions = {},
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
