/**
 * A light, robust reader of the Multi-Domain Sentiment Dataset's pseudo-XML (Blitzer et al. 2007,
 * `data/amazon/<domain>/{positive,negative}.review`): not well-formed XML (raw `&` and `<` can
 * occur, no declaration), so it is read line by line. A review is `<review>` … `</review>`; its
 * fields are `<name>` on a line, content lines, `</name>` on a line (or `<name>text</name>` on
 * one line). Only `<title>` and `<review_text>` are kept, with HTML entities decoded
 * (`&quot;`, `&amp;`, `&lt;`, `&gt;`, `&apos;`, `&#NN;`, `&#xHH;`).
 *
 * Malformed input never stops the reader: a review with an unclosed or mismatched field, a
 * `<review>` inside a review, a review without `<review_text>`, or one cut off by the end of the
 * file is skipped with a warning that names the file and line; the other reviews are kept.
 */

/** One review's text fields, with the line its `<review>` opened on. */
export interface AmazonReview {
  title: string;
  text: string;
  line: number;
}

export interface AmazonParse {
  reviews: AmazonReview[];
  /** `<file>: line <n>: <what>` for every skipped review or stray tag. */
  warnings: string[];
}

const NAMED: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" };

/** Decodes the HTML entities the dataset uses; an unknown entity is left as it is. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, body: string) => {
    if (body[0] !== "#") return NAMED[body] ?? m;
    const code = body[1] === "x" || body[1] === "X"
      ? parseInt(body.slice(2), 16)
      : parseInt(body.slice(1), 10);
    if (!Number.isFinite(code) || code > 0x10ffff || code === 0xfeff) return " ";
    return String.fromCodePoint(code);
  });
}

const OPEN = /^<([a-z_]+)>(.*)$/;
const CLOSE = /^(.*)<\/([a-z_]+)>$/;
const KEEP = new Set(["title", "review_text"]);
/** The dataset's field names: inside a field, only these count as tags (text may hold `<b>`). */
const FIELDS = new Set([
  "unique_id",
  "asin",
  "product_name",
  "product_type",
  "helpful",
  "rating",
  "title",
  "date",
  "reviewer",
  "reviewer_location",
  "review_text",
]);

/** Parses one `.review` file's text; `display` names the file in warnings. */
export function parseAmazonReviews(text: string, display: string): AmazonParse {
  const reviews: AmazonReview[] = [];
  const warnings: string[] = [];
  const warn = (line: number, what: string) => warnings.push(`${display}: line ${line}: ${what}`);
  let review: { line: number; fields: Map<string, string>; bad: boolean } | undefined;
  let field: { name: string; line: number; content: string[] } | undefined;

  const skip = (line: number, what: string) => {
    if (review && !review.bad) warn(line, `${what}; review opened at line ${review.line} skipped`);
    if (review) review.bad = true;
    field = undefined;
  };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const t = lines[i].replace(/\r$/, "").trim();
    if (t === "<review>") {
      if (review) {
        skip(n, field ? `<${field.name}> (line ${field.line}) not closed` : "no </review>");
      }
      review = { line: n, fields: new Map(), bad: false };
      field = undefined;
      continue;
    }
    if (t === "</review>") {
      if (!review) {
        warn(n, "</review> without an open <review>; ignored");
        continue;
      }
      if (field) skip(n, `<${field.name}> (line ${field.line}) not closed before </review>`);
      else if (!review.bad && !review.fields.has("review_text")) {
        skip(n, "no <review_text> field");
      }
      if (!review.bad) {
        reviews.push({
          title: review.fields.get("title") ?? "",
          text: review.fields.get("review_text") ?? "",
          line: review.line,
        });
      }
      review = undefined;
      continue;
    }
    if (!review) {
      if (t !== "" && t !== "<reviews>" && t !== "</reviews>") {
        warn(n, `text outside a <review>: ${JSON.stringify(t.slice(0, 40))}; ignored`);
      }
      continue;
    }
    if (review.bad) continue;
    if (!field) {
      const open = OPEN.exec(t);
      if (!open) {
        if (t !== "") skip(n, `expected a field tag such as <title>, got ${JSON.stringify(t)}`);
        continue;
      }
      field = { name: open[1], line: n, content: [] };
      const rest = open[2];
      const close = CLOSE.exec(rest);
      if (close) {
        if (close[2] !== field.name) {
          skip(n, `<${field.name}> closed by </${close[2]}>`);
          continue;
        }
        field.content.push(close[1]);
      } else {
        if (rest !== "") field.content.push(rest);
        continue;
      }
    } else {
      const close = CLOSE.exec(t);
      const open = OPEN.exec(t);
      if (close && close[2] === field.name) {
        if (close[1] !== "") field.content.push(close[1]);
      } else if (
        (close && FIELDS.has(close[2])) || (open && FIELDS.has(open[1]) && open[2] === "")
      ) {
        skip(n, `<${field.name}> (line ${field.line}) not closed, got ${JSON.stringify(t)}`);
        continue;
      } else {
        field.content.push(lines[i].replace(/\r$/, ""));
        continue;
      }
    }
    if (KEEP.has(field.name)) {
      review.fields.set(field.name, decodeEntities(field.content.join("\n")).trim());
    }
    field = undefined;
  }
  if (review && !review.bad) {
    warn(lines.length, `end of file inside the review opened at line ${review.line}; skipped`);
  }
  return { reviews, warnings };
}
