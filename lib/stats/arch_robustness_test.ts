import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { type ArchStatRow, archStatsMarkdown, archStatsReport, SCALAR_STATS } from "./mod.ts";

const RESULTS = new URL("../../experiments/rosearch_sst2/results/", import.meta.url);

/** The committed candidates as the rosearch main job passes them to the report. */
function committedRows(): ArchStatRow[] {
  const candidates = JSON.parse(Deno.readTextFileSync(new URL("candidates.json", RESULTS)));
  return candidates.map((r: Record<string, unknown>) => ({
    hash: r.hash,
    robustness: r.robustness,
    cleanAccuracy: r.accuracy,
    stats: r.stats,
  }));
}

/**
 * Markdown as `deno fmt` leaves it, reduced to its content: paragraphs re-joined on one line,
 * table cells trimmed and the separator rows reduced to their alignment (the committed .md was
 * formatted; `archStatsMarkdown` writes unpadded tables).
 */
function mdContent(md: string): string[][] {
  return md.trim().split(/\n\s*\n/).flatMap((block) => {
    const lines = block.split("\n");
    if (!lines[0].startsWith("|")) return [[lines.join(" ").replace(/\s+/g, " ")]];
    return lines.map((line) =>
      line.slice(1, -1).split("|").map((cell) => {
        const c = cell.trim();
        return /^:?-+:?$/.test(c) ? (c.endsWith(":") ? "---:" : "---") : c;
      })
    );
  });
}

Deno.test("archStatsReport reproduces the committed rosearch_sst2 arch_stats.json exactly", () => {
  const report = archStatsReport(committedRows(), { seed: 42 });
  assert.equal(report.options.permutations, 9999);
  const committed = Deno.readTextFileSync(new URL("arch_stats.json", RESULTS));
  assert.equal(JSON.stringify(report, null, 2) + "\n", committed);
  const md = Deno.readTextFileSync(new URL("arch_stats.md", RESULTS));
  assert.deepEqual(mdContent(archStatsMarkdown(report)), mdContent(md));
});

Deno.test("archStatsReport: standardized betas, dropped constant predictors", () => {
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
  assert.deepEqual(rep.spearman.map((r) => r.stat), [...SCALAR_STATS]);
  const reg = rep.regression!;
  assert.deepEqual(reg.dropped, ["hiddenSize"]);
  const depth = reg.coefficients.find((c) => c.name === "depth")!;
  const attn = reg.coefficients.find((c) => c.name === "attentionShare")!;
  // beta per sd = raw coefficient x sd
  assert.ok(Math.abs(depth.beta - 0.02 * depth.sd) < 0.003, `${depth.beta}`);
  assert.ok(Math.abs(attn.beta - 0.3 * attn.sd) < 0.003, `${attn.beta}`);
  assert.ok(reg.r2 > 0.95);
  assert.ok(Math.abs(reg.adjustedR2 - (1 - (1 - reg.r2) * 29 / 27)) < 1e-12);
  const rhoDepth = rep.spearman.find((r) => r.stat === "depth")!;
  assert.ok(rhoDepth.rho > 0.3 && rhoDepth.n === 30);
  assert.ok(Number.isNaN(rep.spearman.find((r) => r.stat === "hiddenSize")!.rho));
  assert.equal(rep.spearman.find((r) => r.stat === "macs")!.n, 0);
  const md = archStatsMarkdown(rep);
  assert.match(md, /\| depth \| 0\.\d{3} \| 30 \|/);
  assert.match(md, /\| hiddenSize \| n\/a \| 30 \| n\/a \|/);
  assert.match(md, /Dropped \(constant or missing\): hiddenSize/);
  // too few rows: no regression, a reason instead
  const few = archStatsReport(rows.slice(0, 3), { permutations: 9 });
  assert.equal(few.regression, null);
  assert.match(few.regressionNote!, /too few/);
  assert.match(archStatsMarkdown(few), /Least squares: not fitted \(3 candidates are too few/);
});

Deno.test("archStatsReport: rows without a finite robustness are left out; empty input", () => {
  const rows: ArchStatRow[] = [
    { robustness: NaN, stats: { depth: 1 } },
    { robustness: 0.2, stats: { depth: 2 } },
    { robustness: 0.4, stats: { depth: 3 } },
  ];
  const rep = archStatsReport(rows, { permutations: 9 });
  assert.equal(rep.n, 2);
  assert.equal(rep.spearman.find((r) => r.stat === "depth")!.n, 2);
  const empty = archStatsReport([], { permutations: 9 });
  assert.equal(empty.n, 0);
  assert.ok(empty.spearman.every((r) => r.n === 0 && Number.isNaN(r.rho)));
  assert.equal(empty.regression, null);
});
