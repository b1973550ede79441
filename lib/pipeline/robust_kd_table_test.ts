import assert from "node:assert/strict";
import { robustKdComparisons, robustKdMarkdown, robustKdRow } from "./robust_kd_table.ts";

const base = (method: string) => ({
  method,
  augmenter: method === "plain" ? null : method,
  params: 2e6,
  steps: 10,
  msPerStep: 100,
});

Deno.test("robust KD table: intervals, paired McNemar against plain KD, Holm, sentences", () => {
  // 10 attacked examples: F/Q robust, S/K not. plain robust on 0-2; mate on 0-8
  const plain = robustKdRow(base("plain"), "1".repeat(80) + "0".repeat(20), {
    textfooler: "FFQSSSSSKK",
  });
  const mate = robustKdRow(base("mate"), "1".repeat(90) + "0".repeat(10), {
    textfooler: "FFFFFFFFFS",
  });
  assert.equal(plain.dev.value, 0.8);
  assert.equal(plain.dev.n, 100);
  assert.equal(plain.attacks.textfooler.underAttack.value, 0.3);
  assert.equal(mate.attacks.textfooler.underAttack.value, 0.9);
  const [clean, c] = robustKdComparisons([plain, mate], ["textfooler"]);
  // clean dev: mate right on 10 sentences plain gets wrong, never the reverse
  assert.equal(clean.recipe, "clean");
  assert.equal(clean.b, 10);
  assert.equal(clean.c, 0);
  assert.ok(Math.abs(clean.pValue - 2 / 1024) < 1e-12);
  assert.match(
    clean.sentence,
    /^On clean dev, mate is more accurate than plain KD \(\+10\.0 points/,
  );
  // discordant: mate right where plain wrong on 6 examples (b = 6), never the reverse (c = 0)
  assert.equal(c.b, 6);
  assert.equal(c.c, 0);
  assert.ok(Math.abs(c.pValue - 2 / 64) < 1e-12); // exact two-sided: 2 * 0.5^6
  assert.ok(Math.abs(c.difference - 60) < 1e-9);
  assert.match(c.sentence, /mate is more robust than plain KD \(\+60\.0 points/);
  const md = robustKdMarkdown([plain, mate], [c], ["textfooler"], "# t");
  assert.match(md, /\| mate \| 2\.00M \| 10 \| 100 \| 90\.0 \[/);
  assert.throws(() => robustKdComparisons([mate], ["textfooler"]), /no plain-KD row/);
  // a student at chance is flagged, not called robust
  const flat = robustKdRow(base("pgd"), "1".repeat(50) + "0".repeat(50), {
    textfooler: "FFFFFFFFFF",
  });
  const [f] = robustKdComparisons([plain, flat], ["textfooler"]);
  assert.match(f.sentence, /not comparable with plain KD: its dev accuracy is at chance/);
  assert.match(robustKdMarkdown([plain, flat], [f], ["textfooler"], "# t"), /pgd ⚠ at chance/);
});
