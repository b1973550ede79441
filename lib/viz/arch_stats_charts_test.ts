import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import type { ArchStatRow } from "../stats/mod.ts";
import { archStatsCharts } from "./mod.ts";

Deno.test("archStatsCharts: a scatter per statistic and a boxplot by operation family", () => {
  const prng = Prng.fromSeed(9);
  const rows: ArchStatRow[] = Array.from({ length: 12 }, () => {
    const depth = 1 + prng.int(8), attentionShare = prng.next();
    return {
      robustness: 0.1 + 0.02 * depth + 0.3 * attentionShare,
      cleanAccuracy: 0.8,
      stats: {
        depth,
        attentionShare,
        opCounts: { attn_2: attentionShare > 0.5 ? 1 : 0, conv_3: 1 },
      },
    };
  });
  const charts = archStatsCharts(rows, { stats: ["depth", "attentionShare"] });
  assert.match(charts.scatter.svg, /^<svg/);
  assert.match(charts.scatter.svg, /depth \(r = \d\.\d\d, n = 12\)/);
  assert.match(charts.scatter.svg, /attentionShare \(r = /);
  assert.match(charts.scatter.svg, /12 searched candidates/);
  assert.match(charts.boxplot.svg, /attention/);
});
