import assert from "node:assert/strict";
import { mcnemar, wilson } from "../stats/mod.ts";
import type { MetaStudentResult, MetaTeacherResult } from "./meta_kd.ts";
import { accuracyOf, metaKdReport } from "./meta_kd_report.ts";

const student = (domain: string, name: string, test: string): MetaStudentResult => ({
  name,
  domain: domain as MetaStudentResult["domain"],
  teacherDir: null,
  weighting: "none",
  params: 2_000_000,
  steps: 10,
  seconds: 1,
  msPerStep: 100,
  validationAccuracy: 0.5,
  test,
});

Deno.test("meta-kd report: the best baseline per domain, paired counts, pooled tests", () => {
  // books: meta-kd right on 10, no-kd (the best baseline) on 7 of the same 12
  const books = {
    "meta-kd": "111111111100",
    "single-kd": "110000000000",
    "mix-kd": "111110000000",
    "no-kd": "101111110000",
  };
  const dvd = {
    "meta-kd": "111100000000",
    "single-kd": "111111000000",
    "mix-kd": "111000000000",
    "no-kd": "000000000000",
  };
  const students = [
    ...Object.entries(books).map(([m, t]) => student("books", m, t)),
    ...Object.entries(dvd).map(([m, t]) => student("dvd", m, t)),
  ];
  const teacher: MetaTeacherResult = {
    name: "meta",
    domains: ["books", "dvd"],
    weighted: true,
    adversarial: true,
    steps: 5,
    seconds: 1,
    msPerStep: 1,
    validationAccuracy: 0.9,
    test: { books: "111111111111", dvd: "111111111110" },
    transferability: {
      weights: { books: [0.9, 0.8], dvd: [0.7, 0.95] },
      similarity: [[1, 0.9], [
        0.9,
        1,
      ]],
    },
    lossParts: {},
  };
  const r = metaKdReport({
    domains: ["books", "dvd"],
    teachers: [teacher],
    students,
    reference: { books: "100000000000", dvd: "110000000000" },
  });
  const [b, d] = r.comparisons;
  assert.equal(b.baseline, "no-kd");
  // meta right where no-kd wrong: positions 1, 8, 9; no-kd right where meta wrong: none
  assert.deepEqual([b.b, b.c, b.n], [3, 0, 12]);
  assert.equal(b.pValue, mcnemar(3, 0).pValue);
  assert.ok(Math.abs(b.difference - 100 * (10 - 7) / 12) < 1e-9);
  assert.equal(d.baseline, "single-kd");
  assert.deepEqual([d.b, d.c], [0, 2]);
  assert.ok(r.comparisons.every((c) => c.pHolm >= c.pValue));
  // pooled over 24 examples against each baseline
  assert.equal(r.pooled.length, 3);
  assert.ok(r.pooled.every((c) => c.n === 24));
  const acc = r.rows.find((x) => x.domain === "books" && x.method === "meta-kd")!.accuracy;
  const w = wilson(10, 12);
  assert.deepEqual(acc, { value: 10 / 12, n: 12, lower: w.lower, upper: w.upper });
  assert.equal(r.teachers[0].name, "SST-2 teacher (no Amazon training)");
  assert.equal(r.teachers[1].test.dvd.value, 11 / 12);
  assert.match(r.markdown, /\| Meta-KD \(meta-teacher, weighted\) \| 2\.00M \| 83\.3 \[/);
  assert.match(r.markdown, /No per-domain difference against the best baseline is significant/);
  assert.deepEqual(Object.keys(r.charts).sort(), ["domain_similarity.svg", "transferability.svg"]);
  assert.throws(() => accuracyOf(""), /no examples/);
});
