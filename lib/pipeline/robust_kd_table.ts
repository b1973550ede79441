/**
 * The robust-KD comparison table (issue 15): per method, dev accuracy and accuracy under each
 * attack with n and Wilson 95% intervals; per method and recipe, the paired difference against
 * plain KD on the same attacked examples with its exact McNemar p (Holm-adjusted over the table)
 * and one sentence saying what the test shows.
 */
import { holm, mcnemarPaired } from "../stats/mod.ts";
import { proportion } from "./final_table.ts";
import { robustOf } from "../robustness/tfjs.ts";
import type { Proportion } from "./final_table.ts";

export interface RobustKdRow {
  method: string;
  augmenter: string | null;
  params: number;
  steps: number;
  msPerStep: number;
  dev: Proportion;
  /** Per dev example: "1" correct, "0" wrong (for the paired test of clean accuracy). */
  devCorrect?: string;
  /** Per recipe: accuracy under attack and the outcome codes (lib/robustness `OutcomeCodes`). */
  attacks: Record<string, { underAttack: Proportion; outcomes: string }>;
}

export interface RobustKdComparison {
  method: string;
  recipe: string;
  /** Accuracy under attack, method minus plain KD (points). */
  difference: number;
  b: number;
  c: number;
  pValue: number;
  pHolm: number;
  sentence: string;
}

/** Rows from the method results, clean dev strings ("1"/"0" per example) and attack outcomes. */
export function robustKdRow(
  base: Omit<RobustKdRow, "dev" | "attacks">,
  devCorrect: string,
  attacks: Record<string, string>,
): RobustKdRow {
  const ones = [...devCorrect].filter((c) => c === "1").length;
  return {
    ...base,
    dev: proportion(ones, devCorrect.length),
    devCorrect,
    attacks: Object.fromEntries(
      Object.entries(attacks).map(([r, codes]) => {
        const robust = robustOf(codes).filter(Boolean).length;
        return [r, { underAttack: proportion(robust, codes.length), outcomes: codes }];
      }),
    ),
  };
}

/**
 * A student that learnt nothing: its dev accuracy's 95% interval contains chance (1/2 for
 * binary tasks); its "robustness" is a constant classifier's and is not comparable.
 */
export function atChance(row: RobustKdRow, chance = 0.5): boolean {
  return row.dev.lower <= chance && row.dev.upper >= chance;
}

export function robustKdComparisons(
  rows: readonly RobustKdRow[],
  recipes: readonly string[],
  alpha = 0.05,
): RobustKdComparison[] {
  const plain = rows.find((r) => r.method === "plain");
  if (!plain) throw new RangeError("robust KD table: no plain-KD row to compare with");
  const bits = (s: string) => [...s].map((c) => (c === "1" ? 1 : 0));
  const raw = rows.filter((r) => r !== plain).flatMap((r) => [
    // clean dev accuracy, paired on the same dev sentences (when both rows kept them)
    ...(r.devCorrect && plain.devCorrect
      ? [{
        method: r.method,
        recipe: "clean",
        difference: 100 * (r.dev.value - plain.dev.value),
        ...mcnemarPaired(bits(r.devCorrect), bits(plain.devCorrect)),
      }]
      : []),
    ...recipes.map((recipe) => {
      const a = robustOf(r.attacks[recipe].outcomes), p = robustOf(plain.attacks[recipe].outcomes);
      const m = mcnemarPaired(a, p);
      return {
        method: r.method,
        recipe,
        difference: 100 *
          (r.attacks[recipe].underAttack.value - plain.attacks[recipe].underAttack.value),
        ...m,
      };
    }),
  ]);
  const adjusted = holm(raw.map((x) => x.pValue));
  const chance = new Set(rows.filter((r) => atChance(r)).map((r) => r.method));
  return raw.map((x, i) => ({
    ...x,
    pHolm: adjusted[i],
    sentence: chance.has(x.method)
      ? `Under ${x.recipe}, ${x.method} is not comparable with plain KD: its dev accuracy is at ` +
        `chance (it learnt nothing), so its accuracy under attack is a constant classifier's ` +
        `(test: ${x.difference > 0 ? "+" : ""}${x.difference.toFixed(1)} points, Holm-adjusted ` +
        `p = ${adjusted[i].toPrecision(2)}).`
      : x.recipe === "clean"
      ? (adjusted[i] < alpha
        ? `On clean dev, ${x.method} is ${x.difference > 0 ? "more" : "less"} accurate than `
        : `On clean dev, no significant difference between ${x.method} and `) +
        `plain KD (${x.difference > 0 ? "+" : ""}${x.difference.toFixed(1)} points; ${x.b} vs ` +
        `${x.c} discordant; Holm-adjusted p = ${adjusted[i].toPrecision(2)}).`
      : adjusted[i] < alpha
      ? `Under ${x.recipe}, ${x.method} is ${x.difference > 0 ? "more" : "less"} robust than ` +
        `plain KD (${x.difference > 0 ? "+" : ""}${x.difference.toFixed(1)} points; ` +
        `${x.b} vs ${x.c} discordant; Holm-adjusted p = ${adjusted[i].toPrecision(2)}).`
      : `Under ${x.recipe}, no significant difference between ${x.method} and plain KD ` +
        `(${x.difference > 0 ? "+" : ""}${x.difference.toFixed(1)} points; ${x.b} vs ${x.c} ` +
        `discordant; Holm-adjusted p = ${adjusted[i].toPrecision(2)}).`,
  }));
}

const cell = (p: Proportion) =>
  `${(100 * p.value).toFixed(1)} [${(100 * p.lower).toFixed(1)}, ${(100 * p.upper).toFixed(1)}]`;

export function robustKdMarkdown(
  rows: readonly RobustKdRow[],
  comparisons: readonly RobustKdComparison[],
  recipes: readonly string[],
  header: string,
): string {
  const n = (r: string) => rows[0].attacks[r].underAttack.n;
  return [
    header,
    "",
    `| method | params | steps | ms/step | dev acc % (n ${rows[0].dev.n}) | ` +
    recipes.map((r) => `${r} % (n ${n(r)})`).join(" | ") + " |",
    `|---|---:|---:|---:|---:|${recipes.map(() => "---:").join("|")}|`,
    ...rows.map((r) =>
      `| ${r.method}${atChance(r) ? " ⚠ at chance" : ""} | ${
        (r.params / 1e6).toFixed(2)
      }M | ${r.steps} | ${r.msPerStep.toFixed(0)} | ` +
      `${cell(r.dev)} | ${recipes.map((x) => cell(r.attacks[x].underAttack)).join(" | ")} |`
    ),
    "",
    "Each cell: accuracy (%) with its Wilson 95% interval; attacks: accuracy under attack on the " +
    "same first dev examples for every method. ⚠ at chance: the dev accuracy's interval " +
    "contains 50%; such a student learnt nothing and its accuracy under attack is that of a " +
    "constant classifier (attacks cannot flip it), not robustness.",
    "",
    "### Paired comparisons with plain KD (exact McNemar, Holm-adjusted over the table; " +
    "clean: dev accuracy on all dev sentences)",
    "",
    "| method | recipe | difference (pts) | discordant b / c | McNemar p | Holm p |",
    "|---|---|---:|---:|---:|---:|",
    ...comparisons.map((c) =>
      `| ${c.method} | ${c.recipe} | ${c.difference.toFixed(1)} | ${c.b} / ${c.c} | ` +
      `${c.pValue.toPrecision(2)} | ${c.pHolm.toPrecision(2)} |`
    ),
    "",
    ...comparisons.map((c) => `- ${c.sentence}`),
    "",
  ].join("\n");
}
