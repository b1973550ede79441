/**
 * What robust KD changes in a search's final stage (issue 15, the platform's own question:
 * does a searched architecture or adversarial distillation buy more robustness?). Two final
 * tables of ONE run (the same top students, baselines, training examples, steps, dev examples,
 * attack seeds and budgets), one trained with `final.kd` "plain" and one with a robust mode:
 * per model and per measure (clean dev accuracy, accuracy under each attack) the paired
 * difference robust minus plain on the same examples, its exact McNemar p and the Holm-adjusted
 * p over the whole table, and one sentence per significant or not-significant finding.
 */
import { robustOf } from "../robustness/tfjs.ts";
import { holm, mcnemarPaired } from "../stats/mod.ts";
import type { FinalTable, TableRow } from "./final_table.ts";

export interface KdChange {
  model: string;
  kind: TableRow["kind"];
  /** "clean" or a recipe. */
  measure: string;
  plain: number;
  robust: number;
  /** robust minus plain, in points. */
  difference: number;
  /** Examples right only with robust KD / only with plain KD. */
  b: number;
  c: number;
  n: number;
  pValue: number;
  pHolm: number;
}

const bits = (s: string) => [...s].map((c) => (c === "1" ? 1 : 0));

/** Paired changes of every model trained in both tables (the teacher is not retrained). */
export function kdChanges(plain: FinalTable, robust: FinalTable): KdChange[] {
  if (plain.devExamplesAttacked !== robust.devExamplesAttacked) {
    throw new RangeError(
      `kd change: the tables attacked ${plain.devExamplesAttacked} and ` +
        `${robust.devExamplesAttacked} dev examples; paired tests need the same examples`,
    );
  }
  const raw: Omit<KdChange, "pHolm">[] = [];
  for (const r of robust.rows) {
    const p = plain.rows.find((x) => x.name === r.name);
    if (!p || r.kind === "teacher") continue;
    if (p.devCorrect && r.devCorrect) {
      const m = mcnemarPaired(bits(r.devCorrect), bits(p.devCorrect));
      raw.push({
        model: r.name,
        kind: r.kind,
        measure: "clean",
        plain: p.dev.value,
        robust: r.dev.value,
        difference: 100 * (r.dev.value - p.dev.value),
        b: m.b,
        c: m.c,
        n: r.devCorrect.length,
        pValue: m.pValue,
      });
    }
    for (const recipe of robust.recipes) {
      const a = r.attacks[recipe], q = p.attacks[recipe];
      if (!a?.outcomes || !q?.outcomes) continue;
      const m = mcnemarPaired(robustOf(a.outcomes), robustOf(q.outcomes));
      raw.push({
        model: r.name,
        kind: r.kind,
        measure: recipe,
        plain: q.underAttack.value,
        robust: a.underAttack.value,
        difference: 100 * (a.underAttack.value - q.underAttack.value),
        b: m.b,
        c: m.c,
        n: a.outcomes.length,
        pValue: m.pValue,
      });
    }
  }
  const adjusted = holm(raw.map((x) => x.pValue));
  return raw.map((x, i) => ({ ...x, pHolm: adjusted[i] }));
}

const signed = (d: number) => `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(1)}`;

/** One sentence per change, saying "no significant difference" when that is what it shows. */
export function kdChangeSentence(x: KdChange, kd: string, alpha = 0.05): string {
  const what = x.measure === "clean" ? "clean dev accuracy" : `accuracy under ${x.measure}`;
  const stats = `${signed(x.difference)} points; ${x.b} vs ${x.c} discordant of ${x.n}; ` +
    `McNemar p = ${x.pValue.toPrecision(2)}, Holm-adjusted ${x.pHolm.toPrecision(2)}`;
  return x.pHolm < alpha
    ? `${x.model}: ${kd} KD ${x.difference > 0 ? "raises" : "lowers"} ${what} (${stats}).`
    : `${x.model}: no significant difference in ${what} between ${kd} and plain KD (${stats}).`;
}

export function kdChangeMarkdown(changes: readonly KdChange[], kd: string): string {
  const pc = (v: number) => (100 * v).toFixed(1);
  const significant = changes.filter((c) => c.pHolm < 0.05);
  return [
    `| model | measure | plain % | ${kd} % | difference (pts) | b / c (n) | McNemar p | Holm p |`,
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...changes.map((c) =>
      `| ${c.model} | ${c.measure} | ${pc(c.plain)} | ${pc(c.robust)} | ${signed(c.difference)} ` +
      `| ${c.b} / ${c.c} (${c.n}) | ${c.pValue.toPrecision(2)} | ${c.pHolm.toPrecision(2)} |`
    ),
    "",
    `b: examples right (clean) or robust (under attack) only with ${kd} KD; c: only with plain ` +
    `KD. Holm's adjustment is over all ${changes.length} rows. ${significant.length} of ` +
    `${changes.length} changes are significant at 0.05 after it.`,
    "",
    ...changes.map((c) => `- ${kdChangeSentence(c, kd)}`),
    "",
  ].join("\n");
}
