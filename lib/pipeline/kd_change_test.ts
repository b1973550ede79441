import assert from "node:assert/strict";
import { mcnemar } from "../stats/mod.ts";
import { type FinalTable, proportion, type TableRow } from "./final_table.ts";
import { kdChangeMarkdown, kdChanges, kdChangeSentence } from "./kd_change.ts";

const row = (name: string, kind: TableRow["kind"], dev: string, codes: string): TableRow => {
  const robust = [...codes].filter((c) => c === "F" || c === "Q").length;
  const ones = [...dev].filter((c) => c === "1").length;
  return {
    name,
    kind,
    params: 1e6,
    compression: 5,
    devAccuracy: ones / dev.length,
    dev: proportion(ones, dev.length),
    devCorrect: dev,
    attacks: {
      pwws: {
        accuracyUnderAttack: robust / codes.length,
        underAttack: proportion(robust, codes.length),
        attackSuccessRate: 0,
        originalAccuracy: 0,
        avgPerturbedWordPercent: 0,
        avgNumQueries: 0,
        seconds: 0,
        outcomes: codes,
      },
    },
  };
};
const table = (rows: TableRow[], attacked = 12): FinalTable => ({
  dataset: "sst2",
  devSize: 12,
  devExamplesAttacked: attacked,
  queryBudget: 100,
  recipes: ["pwws"],
  recipesSkipped: [],
  baselinesMissing: [],
  baselines: "retrain",
  teacherParams: 5e6,
  trainSize: 100,
  rows,
  comparisons: [],
});

Deno.test("kd change: paired differences, McNemar on the same examples, Holm, no teacher", () => {
  // searched-1: plain robust on 2 of 12, mate on 10 (8 gained, none lost): 8 vs 0 discordant
  const plain = table([
    row("searched-1", "searched", "111111110000", "FFSSSSSSSSSS"),
    row("teacher", "teacher", "111111111111", "FFFFFFSSSSSS"),
  ]);
  const mate = table([
    row("searched-1", "searched", "111111110000", "FFFFFFFFFFSS"),
    row("teacher", "teacher", "111111111111", "FFFFFFSSSSSS"),
  ], 12);
  const changes = kdChanges(plain, mate);
  assert.deepEqual(changes.map((c) => `${c.model}:${c.measure}`), [
    "searched-1:clean",
    "searched-1:pwws",
  ]);
  const [clean, pwws] = changes;
  assert.equal(clean.difference, 0);
  assert.equal(clean.pValue, 1);
  assert.equal(pwws.b, 8);
  assert.equal(pwws.c, 0);
  assert.ok(Math.abs(pwws.difference - 100 * 8 / 12) < 1e-9);
  assert.equal(pwws.pValue, mcnemar(8, 0).pValue);
  assert.equal(pwws.pHolm, Math.min(1, 2 * pwws.pValue));
  assert.match(kdChangeSentence(pwws, "mate"), /^searched-1: mate KD raises accuracy under pwws/);
  assert.match(kdChangeSentence(clean, "mate"), /no significant difference in clean dev accuracy/);
  const md = kdChangeMarkdown(changes, "mate");
  assert.match(md, /\| searched-1 \| pwws \| 16\.7 \| 83\.3 \| \+66\.7 \| 8 \/ 0 \(12\) \|/);
  assert.match(md, /1 of 2 changes are significant at 0\.05/);
  assert.throws(
    () => kdChanges(plain, table(mate.rows, 10)),
    /paired tests need the same examples/,
  );
});
