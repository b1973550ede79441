import assert from "node:assert/strict";
import { decodeEntities, parseAmazonReviews } from "./amazon_reviews.ts";

const review = (title: string, text: string) =>
  `<review>\n<rating>\n5.0\n</rating>\n<title>\n${title}\n</title>\n` +
  `<review_text>\n${text}\n</review_text>\n</review>\n`;

Deno.test("decodeEntities decodes named and numeric entities, leaves unknown ones", () => {
  assert.equal(
    decodeEntities("&quot;a&quot; &amp; b &lt;3 &#45; &#x41; &#8217; &nbsp;"),
    '"a" & b <3 - A \u2019 &nbsp;',
  );
  assert.equal(decodeEntities("x&#65279;y"), "x y"); // a BOM inside text becomes a space
});

Deno.test("parseAmazonReviews reads title and review_text, multi-line, with entities", () => {
  const text = `<reviews>\n${review("Great &amp; cheap", "line one\n\nline &quot;two&quot;")}` +
    `<review>\n<title>one-line title</title>\n<review_text>body</review_text>\n</review>\n`;
  const r = parseAmazonReviews(text, "f.review");
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.reviews, [
    { title: "Great & cheap", text: 'line one\n\nline "two"', line: 2 },
    { title: "one-line title", text: "body", line: 15 },
  ]);
});

Deno.test("parseAmazonReviews keeps text that looks like markup inside a field", () => {
  const r = parseAmazonReviews(review("t", "a <b>bold</b> claim\n<br>"), "f");
  assert.deepEqual(r.warnings, []);
  assert.equal(r.reviews[0].text, "a <b>bold</b> claim\n<br>");
});

Deno.test("parseAmazonReviews skips malformed reviews with file and line, keeps the rest", () => {
  const broken = "<review>\n<title>\nbad\n</title>\n<review_text>\nno end\n</review>\n";
  const noText = "<review>\n<title>\nonly a title\n</title>\n</review>\n";
  const mismatched = "<review>\n<title>\nx\n</rating>\n</review>\n";
  const text = review("first", "ok 1") + broken + noText + mismatched + review("last", "ok 2") +
    "<review>\n<title>\ncut off\n";
  const r = parseAmazonReviews(text, "data/amazon/x.review");
  assert.deepEqual(r.reviews.map((x) => x.title), ["first", "last"]);
  assert.equal(r.warnings.length, 4, r.warnings.join("\n"));
  assert.match(r.warnings[0], /^data\/amazon\/x\.review: line 18: <review_text> \(line 16\)/);
  assert.match(r.warnings[0], /review opened at line 12 skipped/);
  assert.match(r.warnings[1], /line 23: no <review_text> field/);
  assert.match(r.warnings[2], /line 27: <title> \(line 25\) not closed/);
  assert.match(r.warnings[3], /end of file inside the review opened at line 40/);
});

Deno.test("parseAmazonReviews warns about stray closing tags and text outside reviews", () => {
  const r = parseAmazonReviews("</review>\nstray words\n" + review("t", "x"), "f");
  assert.equal(r.reviews.length, 1);
  assert.equal(r.warnings.length, 2);
  assert.match(r.warnings[0], /^f: line 1: <\/review> without an open <review>/);
  assert.match(r.warnings[1], /^f: line 2: text outside a <review>/);
});
