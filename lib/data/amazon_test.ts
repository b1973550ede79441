import assert from "node:assert/strict";
import { createBertTokenizer } from "./tokenizer.ts";
import {
  AMAZON_DOMAINS,
  type AmazonProblem,
  decodeEntities,
  loadAmazonDomain,
  loadAmazonSplits,
  parseReviews,
} from "./amazon.ts";

const linesOf = (s: string) => s.split("\n").map((text, i) => ({ text, line: i + 1 }));

Deno.test("amazon: malformed reviews are reported with file and line, the rest loads", () => {
  const text = [
    "<reviews>", //                                   1
    "<review>", //                                    2  good
    "<title>",
    "Nice &amp; cheap",
    "</title>", //     3-5
    "<rating>",
    "5.0",
    "</rating>", //                6-8
    "<review_text>",
    "Works &quot;great&quot;",
    "and lasts.",
    "</review_text>", // 9-12
    "</review>", //                                   13
    "<review>", //                                    14 field never closed
    "<review_text>",
    "lost text", //                  15-16
    "</review>", //                                   17
    "<review>", //                                    18 no review_text
    "<title>",
    "t",
    "</title>", //                    19-21
    "</review>", //                                   22
    "stray words", //                                 23
    "<review>", //                                    24 not closed before the next
    "<review>", //                                    25 good
    "<review_text>",
    "fine&#45;ish",
    "</review_text>", // 26-28
    "</review>", //                                   29
    "<review>", //                                    30 file ends inside
    "<review_text>",
    "x",
    "</review_text>",
  ].join("\n");
  const { reviews, problems } = parseReviews(linesOf(text), "amazon/x/positive.review", {
    withTitle: true,
  });
  assert.deepEqual(reviews.map((r) => r.text), [
    'Nice & cheap . Works "great" and lasts.',
    "fine-ish",
  ]);
  assert.deepEqual(reviews.map((r) => r.line), [2, 25]);
  assert.equal(reviews[0].rating, 5);
  const p = (x: AmazonProblem) => `${x.where} ${x.what}`;
  assert.deepEqual(problems.map(p), [
    "amazon/x/positive.review:14 <review_text> opened at line 15 is never closed",
    "amazon/x/positive.review:18 review opened here has no <review_text> (closed at 22)",
    'amazon/x/positive.review:23 text outside any <review>: "stray words"',
    "amazon/x/positive.review:24 review opened here is not closed before the next <review> " +
    "at line 25",
    "amazon/x/positive.review:30 the file ends inside the review opened here",
  ]);
  assert.equal(
    decodeEntities("a &lt;b&gt; &#8217;s &#x2014; &bogus;"),
    "a <b> \u2019s \u2014 &bogus;",
  );
  assert.equal(decodeEntities("seen &amp;quot;Non Stop&amp;quot;"), 'seen "Non Stop"');
});

Deno.test("amazon: four domains of 1,000 + 1,000 clean reviews; seeded splits", async () => {
  const tokenizer = await createBertTokenizer();
  const lengths: number[] = [];
  for (const domain of AMAZON_DOMAINS) {
    const problems: AmazonProblem[] = [];
    const all = await loadAmazonDomain(domain, { onProblem: (x) => problems.push(x) });
    assert.deepEqual(problems, [], `${domain}: the bundled files parse cleanly`);
    assert.equal(all.length, 2000);
    assert.equal(all.filter((e) => e.label === 1).length, 1000);
    assert.ok(all.every((e) => e.text.length > 0 && !/&quot;|<review/.test(e.text)));
    assert.match(all[0].source!, new RegExp(`^data/amazon/${domain}/positive\\.review:2$`));
    const s = await loadAmazonSplits(domain);
    assert.deepEqual([s.train.length, s.dev.length, s.test.length], [1400, 200, 400]);
    for (const part of [s.train, s.dev, s.test]) {
      assert.equal(part.filter((e) => e.label === 1).length * 2, part.length, "half positive");
    }
    const keys = [...s.train, ...s.dev, ...s.test].map((e) => e.source);
    assert.equal(new Set(keys).size, 2000, "the splits are disjoint and cover the domain");
    assert.deepEqual(
      (await loadAmazonSplits(domain)).test.map((e) => e.source),
      s.test.map((e) => e.source),
    );
    if (domain === "books") {
      for (const e of all) {
        lengths.push(tokenizer.encode(e.text, undefined, { maxLength: 1e6 }).ids.length);
      }
    }
  }
  lengths.sort((a, b) => a - b);
  const q = (f: number) => lengths[Math.floor(f * (lengths.length - 1))];
  console.log(`books review length in WordPiece tokens: median ${q(0.5)}, p90 ${q(0.9)}`);
  assert.ok(q(0.5) > 64, "reviews are long: a maximum length has to be chosen");
});
