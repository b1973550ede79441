/**
 * Attack metrics exactly as TextAttack defines them (`AttackSuccessRate`, `WordsPerturbed`,
 * `AttackQueries`), on results or on stored records (anything with `ResultStats` fields).
 * MAXIMIZED_QUERIES (budget ran out) counts as failed, as in TextAttack.
 *
 * - original accuracy = (total - skipped) / total
 * - accuracy under attack = failed / total
 * - attack success rate = succeeded / (succeeded + failed)   (0 when there are none)
 * - average perturbed word % = mean over successful attacks with a non-zero percentage of
 *   100 * changed words / words (NaN when there are none, as numpy's mean of nothing)
 * - average num. words per input = mean over all results, skipped included
 * - average num queries = mean over non-skipped results (NaN when all were skipped)
 * TextAttack rounds each figure to 2 decimals; `attackMetrics` keeps full precision and
 * `summaryTable` rounds.
 */
import type { ResultStats } from "./attack_result.ts";

export interface AttackMetrics {
  total: number;
  succeeded: number;
  /** Failed, including those that ran out of queries. */
  failed: number;
  skipped: number;
  /** Failed because the query budget ran out (included in `failed`). */
  maximizedQueries: number;
  /** Percentages (0-100) like TextAttack's tables. */
  originalAccuracy: number;
  accuracyUnderAttack: number;
  attackSuccessRate: number;
  avgPerturbedWordPercent: number;
  avgWordsPerInput: number;
  avgNumQueries: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

export function attackMetrics(results: readonly ResultStats[]): AttackMetrics {
  let succeeded = 0, failed = 0, skipped = 0, maximizedQueries = 0;
  const perturbed: number[] = [];
  const queries: number[] = [];
  for (const r of results) {
    switch (r.resultType) {
      case "SUCCEEDED": {
        succeeded++;
        const pct = r.numWords > 0 ? (r.numWordsChanged * 100) / r.numWords : 0;
        if (pct > 0) perturbed.push(pct);
        break;
      }
      case "MAXIMIZED_QUERIES":
        maximizedQueries++;
        failed++;
        break;
      case "FAILED":
        failed++;
        break;
      case "SKIPPED":
        skipped++;
        break;
      default:
        throw new RangeError(
          `attackMetrics: unknown resultType ${JSON.stringify((r as ResultStats).resultType)}`,
        );
    }
    if (r.resultType !== "SKIPPED") queries.push(r.numQueries);
  }
  const total = results.length;
  return {
    total,
    succeeded,
    failed,
    skipped,
    maximizedQueries,
    originalAccuracy: total === 0 ? NaN : ((total - skipped) * 100) / total,
    accuracyUnderAttack: total === 0 ? NaN : (failed * 100) / total,
    attackSuccessRate: succeeded + failed === 0 ? 0 : (succeeded * 100) / (succeeded + failed),
    avgPerturbedWordPercent: mean(perturbed),
    avgWordsPerInput: mean(results.map((r) => r.numWords)),
    avgNumQueries: mean(queries),
  };
}

/** Python's `str(round(x, 2))`: "100.0", "5.56", "nan". */
export function formatPy2(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const r = Math.round(x * 100) / 100;
  const s = String(r);
  return Number.isInteger(r) ? `${s}.0` : s;
}

/** The rows of TextAttack's "Attack Results" summary table. */
export function summaryRows(results: readonly ResultStats[]): [string, string][] {
  const m = attackMetrics(results);
  return [
    ["Number of successful attacks:", String(m.succeeded)],
    ["Number of failed attacks:", String(m.failed)],
    ["Number of skipped attacks:", String(m.skipped)],
    ["Original accuracy:", `${formatPy2(m.originalAccuracy)}%`],
    ["Accuracy under attack:", `${formatPy2(m.accuracyUnderAttack)}%`],
    ["Attack success rate:", `${formatPy2(m.attackSuccessRate)}%`],
    ["Average perturbed word %:", `${formatPy2(m.avgPerturbedWordPercent)}%`],
    ["Average num. words per input:", formatPy2(m.avgWordsPerInput)],
    ["Avg num queries:", formatPy2(m.avgNumQueries)],
  ];
}

/** TextAttack's summary table (terminaltables' AsciiTable layout, title "Attack Results"). */
export function summaryTable(results: readonly ResultStats[]): string {
  const rows: [string, string][] = [["Attack Results", ""], ...summaryRows(results)];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const rule = `+${"-".repeat(w0 + 2)}+${"-".repeat(w1 + 2)}+`;
  const line = (r: [string, string]) => `| ${r[0].padEnd(w0)} | ${r[1].padEnd(w1)} |`;
  return [rule, line(rows[0]), rule, ...rows.slice(1).map(line), rule].join("\n");
}
