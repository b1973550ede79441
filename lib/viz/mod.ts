/**
 * Public surface of lib/viz: Observable Plot charts rendered headlessly to standalone SVG,
 * display objects for Deno's Jupyter kernel and terminals, and live progress.
 *
 * Snapshot tests use Deno 2.9's built-in `t.assertSnapshot` (files under test/snapshots/viz/;
 * refresh with `deno test -A --update-snapshots lib/viz/`).
 */
export { renderSvg, renderSvgGrid } from "./render_svg.ts";
export type { GridOptions, RenderOptions } from "./render_svg.ts";
export { escapeHtml } from "./escape_html.ts";
export { Chart } from "./chart.ts";
export type { ChartOptions } from "./chart.ts";
export { paretoChart } from "./pareto_chart.ts";
export type { ParetoChartOptions } from "./pareto_chart.ts";
export { bestSoFar, fitnessCurve } from "./fitness_curve.ts";
export type { FitnessCurveOptions, FitnessPoint } from "./fitness_curve.ts";
export { statScatter } from "./stat_scatter.ts";
export type { StatScatterOptions } from "./stat_scatter.ts";
export { presenceBoxplot, rowOps } from "./presence_boxplot.ts";
export type { PresenceBoxplotOptions } from "./presence_boxplot.ts";
export { archStatsCharts } from "./arch_stats_charts.ts";
export type { ArchStatsChartsOptions } from "./arch_stats_charts.ts";
export { barChart } from "./bar_chart.ts";
export type { BarChartOptions } from "./bar_chart.ts";
export { lineChart } from "./line_chart.ts";
export type { LineChartOptions } from "./line_chart.ts";
export { attackBars } from "./attack_bars.ts";
export type { AttackBarsOptions } from "./attack_bars.ts";
export { Table } from "./table.ts";
export type { TableOptions } from "./table.ts";
export { ArchitectureDiagram, cellLayers, cellOutputs } from "./architecture_diagram.ts";
export type { ArchitectureDiagramOptions } from "./architecture_diagram.ts";
export { AttackedExampleView, diffWords } from "./attacked_example_view.ts";
export type { AttackedExample } from "./attacked_example_view.ts";
export { RunSummary } from "./run_summary.ts";
export type { RunSummaryInput, RunSummaryOptions } from "./run_summary.ts";
export { genomeStrip, Leaderboard } from "./leaderboard.ts";
export type { LeaderboardOptions } from "./leaderboard.ts";
export {
  genomeSummary,
  isGenomeLike,
  OP_FAMILY_COLORS,
  opCounts,
  opFamily,
  parseInputRef,
} from "./genome_like.ts";
export type { CellLike, GenomeLike, NodeLike, OpFamily, ParsedInput } from "./genome_like.ts";
export { createProgress, jupyterBroadcast } from "./progress.ts";
export type { Progress, ProgressMode, ProgressOptions } from "./progress.ts";
export { formatValue } from "./_format.ts";
export { DENO_INSPECT, JUPYTER_DISPLAY } from "./_display.ts";
export type { MimeBundle } from "./_display.ts";
export { heatmap } from "./heatmap.ts";
export type { HeatmapOptions } from "./heatmap.ts";
export { distributionChart } from "./distribution_chart.ts";
export type { DistributionChartOptions } from "./distribution_chart.ts";
