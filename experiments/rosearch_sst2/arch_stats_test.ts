import assert from "node:assert/strict";
import { Prng } from "../../lib/random/mod.ts";
import {
  type ArchStatRow,
  archStatsCharts,
  archStatsMarkdown,
  archStatsReport,
  leastSquares,
  ranks,
  spearman,
  spearmanPValue,
} from "./arch_stats.ts";

Deno.test("ranks average ties", () => {
  assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  assert.deepEqual(ranks([]), []);
});

Deno.test("spearman matches hand-computed values", () => {
  // No ties: rho = 1 - 6 Σd² / (n(n²-1)). x ranks 1..5, y ranks [2,1,4,3,5]: Σd² = 4 → 0.8
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50]) - 0.8) < 1e-12);
  // Monotone but not linear: exactly 1 (and -1 reversed)
  assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
  assert.equal(spearman([1, 2, 3, 4], [64, 27, 8, 1]), -1);
  // With ties: x ranks [1.5,1.5,3,4], y ranks [1,2,3,4] → Pearson of the ranks
  // mean 2.5 each; Σ(dx·dy) = (-1)(-1.5)+(-1)(-0.5)+(0.5)(0.5)+(1.5)(1.5) = 4.5;
  // Σdx² = 1+1+0.25+2.25 = 4.5; Σdy² = 5 → rho = 4.5 / sqrt(22.5) = 0.9486833
  assert.ok(Math.abs(spearman([7, 7, 8, 9], [1, 2, 3, 4]) - 4.5 / Math.sqrt(22.5)) < 1e-12);
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
});

Deno.test("permutation p-value: exact for a small n, small for a strong relation", () => {
  // n = 4, rho = 1: of the 24 orderings only the identity reaches |rho| = 1 and its reverse;
  // the exact two-sided p is 2/24; a long permutation test approaches it.
  const p = spearmanPValue([1, 2, 3, 4], [1, 2, 3, 4], { permutations: 20000, seed: 3 });
  assert.ok(Math.abs(p - 2 / 24) < 0.01, `p ${p}`);
  const prng = Prng.fromSeed(1);
  const x = Array.from({ length: 30 }, (_, i) => i);
  const noise = x.map(() => prng.next());
  assert.ok(spearmanPValue(x, x.map((v, i) => v + 3 * noise[i]), { permutations: 999 }) < 0.01);
  assert.ok(spearmanPValue(x, noise, { permutations: 999 }) > 0.01);
});

Deno.test("least squares recovers known coefficients and R² = 1 without noise", () => {
  const prng = Prng.fromSeed(5);
  const X = Array.from({ length: 40 }, () => [prng.normal(), prng.normal(), prng.normal()]);
  const y = X.map((r) => 0.5 + 2 * r[0] - 1 * r[1] + 0.25 * r[2]);
  const fit = leastSquares(X, y);
  [0.5, 2, -1, 0.25].forEach((b, j) => assert.ok(Math.abs(fit.beta[j] - b) < 1e-9, `beta ${j}`));
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  const noisy = y.map((v) => v + 0.1 * prng.normal());
  const fit2 = leastSquares(X, noisy);
  assert.ok(Math.abs(fit2.beta[1] - 2) < 0.1 && fit2.r2 > 0.95 && fit2.r2 < 1);
  assert.throws(() => leastSquares(X.map((r) => [r[0], 2 * r[0]]), y), /linearly dependent/);
});

Deno.test("archStatsReport: standardized betas, dropped constant predictors, charts", () => {
  const prng = Prng.fromSeed(9);
  const rows: ArchStatRow[] = Array.from({ length: 30 }, () => {
    const depth = 1 + prng.int(8), attentionShare = prng.next();
    return {
      robustness: 0.1 + 0.02 * depth + 0.3 * attentionShare + 0.005 * prng.normal(),
      stats: {
        depth,
        attentionShare,
        hiddenSize: 128, // constant: dropped
        numCells: depth,
        opCounts: { attn_2: attentionShare > 0.5 ? 1 : 0, conv_3: 1 },
      },
    };
  });
  const rep = archStatsReport(rows, {
    permutations: 199,
    regressors: ["depth", "attentionShare", "hiddenSize"],
  });
  assert.equal(rep.n, 30);
  const reg = rep.regression!;
  assert.deepEqual(reg.dropped, ["hiddenSize"]);
  const depth = reg.coefficients.find((c) => c.name === "depth")!;
  const attn = reg.coefficients.find((c) => c.name === "attentionShare")!;
  // beta per sd = raw coefficient x sd
  assert.ok(Math.abs(depth.beta - 0.02 * depth.sd) < 0.003, `${depth.beta}`);
  assert.ok(Math.abs(attn.beta - 0.3 * attn.sd) < 0.003, `${attn.beta}`);
  assert.ok(reg.r2 > 0.95);
  const rhoDepth = rep.spearman.find((r) => r.stat === "depth")!;
  assert.ok(rhoDepth.rho > 0.3 && rhoDepth.n === 30);
  assert.ok(Number.isNaN(rep.spearman.find((r) => r.stat === "hiddenSize")!.rho));
  assert.equal(rep.spearman.find((r) => r.stat === "macs")!.n, 0);
  assert.match(archStatsMarkdown(rep), /\| depth \| 0\.\d{3} \| 30 \|/);
  const charts = archStatsCharts(rows, { stats: ["depth", "attentionShare"] });
  assert.match(charts.scatter.svg, /^<svg/);
  assert.match(charts.boxplot.svg, /attention/);
  // too few rows: no regression, a reason instead
  const few = archStatsReport(rows.slice(0, 3), { permutations: 9 });
  assert.equal(few.regression, null);
  assert.match(few.regressionNote!, /too few/);
});
