/**
 * The Multi-Domain Sentiment Dataset (Blitzer, Dredze & Pereira 2007), the balanced
 * "sorted_data_acl" part Meta-KD uses: four Amazon domains (books, dvd, electronics, kitchen),
 * `positive.review` (label 1) and `negative.review` (label 0), 1,000 reviews each.
 *
 * The files are pseudo-XML, not XML: no declaration, raw text with `&`-entities, each tag on a
 * line of its own (`<review>`, `<rating>`, `<title>`, `<review_text>`, ... `</review>`). They are
 * read line by line with a small state machine; a malformed review (a field left open, a second
 * `<review>` before `</review>`, no `<review_text>`, text outside any review, the file ending
 * inside one) is reported with its file and line and skipped, and the rest of the file still
 * loads. Entities are decoded (`&quot;` `&amp;` `&lt;` `&gt;` `&apos;` and numeric ones); line
 * breaks inside a review become spaces. The example's text is the review text (ours: the title is
 * not prepended; `withTitle: true` does).
 *
 * Splits (the dataset has none; ours, deterministic): per domain, all 2,000 reviews (positive
 * file first) -> `test` = a stratified 20% (400) with seed `AMAZON_SPLIT_SEED + d` (d = the
 * domain's index in `AMAZON_DOMAINS`), then `dev` = a stratified 200 of the rest with seed + 100,
 * `train` = the remaining 1,400. Each part is exactly half positive.
 *
 * Length: reviews are long (see `AMAZON_MAX_LENGTH`): models read the first
 * `AMAZON_MAX_LENGTH` WordPiece tokens (head truncation, the tokenizer's rule), recorded here.
 */
import type { Example } from "./types.ts";
import { type LoaderOptions, readTextFile, resolveDataRoot } from "./_files.ts";
import { heldOutSplit } from "./splits.ts";

export const AMAZON_DOMAINS = ["books", "dvd", "electronics", "kitchen"] as const;
export type AmazonDomain = typeof AMAZON_DOMAINS[number];
export type AmazonSplit = "train" | "dev" | "test";
export const AMAZON_SPLIT_SEED = 2007;
/**
 * WordPiece tokens a model reads of a review ([CLS] and [SEP] included); the rest is cut (head
 * truncation). 256: books reviews measured 141 WordPiece tokens at the median and 482 at the 90th
 * percentile (amazon_test.ts prints it); Meta-KD's code uses 128 for its GLUE-sized models.
 */
export const AMAZON_MAX_LENGTH = 256;

export interface AmazonProblem {
  /** `data/amazon/<domain>/<file>:<line>` of the line where the problem shows. */
  where: string;
  what: string;
}

export interface AmazonOptions extends LoaderOptions {
  /** Prepend the review's title to its text (default false). */
  withTitle?: boolean;
  /** Called for each malformed review (default: `console.warn`). */
  onProblem?: (p: AmazonProblem) => void;
}

const ENTITIES: Record<string, string> = {
  quot: '"',
  amp: "&",
  lt: "<",
  gt: ">",
  apos: "'",
  nbsp: " ",
};

/**
 * Decodes the entities of the files (`&quot;`, `&#45;`, `&#x2019;`); unknown ones stay. Some
 * kitchen reviews are entity-encoded twice (`&amp;quot;`): an entity that decoding `&amp;` reveals
 * is decoded too.
 */
export function decodeEntities(text: string): string {
  const once = decodeOnce(text);
  return /&amp;/i.test(text) ? decodeOnce(once) : once;
}

function decodeOnce(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Parses one file's text (lines numbered from 1); malformed reviews go to `problems`. */
export function parseReviews(
  lines: readonly { text: string; line: number }[],
  display: string,
  options: { withTitle?: boolean } = {},
): { reviews: { text: string; line: number; rating: number | null }[]; problems: AmazonProblem[] } {
  const reviews: { text: string; line: number; rating: number | null }[] = [];
  const problems: AmazonProblem[] = [];
  let review: { line: number; fields: Map<string, string[]>; bad: string | null } | null = null;
  let field: { name: string; line: number } | null = null;
  const fail = (line: number, what: string) => problems.push({ where: `${display}:${line}`, what });
  const close = (line: number): void => {
    const r = review!;
    review = null;
    if (r.bad) return void fail(r.line, r.bad);
    const body = r.fields.get("review_text");
    if (!body) {
      return void fail(r.line, `review opened here has no <review_text> (closed at ${line})`);
    }
    const join = (xs: string[]) => decodeEntities(xs.join(" ").replace(/\s+/g, " ").trim());
    const text = join(body);
    if (!text) return void fail(r.line, "review opened here has an empty <review_text>");
    const title = join(r.fields.get("title") ?? []);
    const rating = Number(join(r.fields.get("rating") ?? []));
    reviews.push({
      text: options.withTitle && title ? `${title} . ${text}` : text,
      line: r.line,
      rating: Number.isFinite(rating) && rating > 0 ? rating : null,
    });
  };
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (t === "<reviews>" || t === "</reviews>") continue;
    if (field) {
      if (t === `</${field.name}>`) {
        field = null;
        continue;
      }
      if (/^<\/?review>$/.test(t)) {
        review!.bad = `<${field.name}> opened at line ${field.line} is never closed`;
        field = null;
        if (t === "</review>") {
          close(line);
          continue;
        }
        close(line); // "<review>": the broken one ends here, the new one starts below
      } else {
        review!.fields.get(field.name)!.push(raw);
        continue;
      }
    }
    if (t === "<review>") {
      if (review) {
        review.bad = `review opened here is not closed before the next <review> at line ${line}`;
        close(line);
      }
      review = { line, fields: new Map(), bad: null };
      continue;
    }
    if (!review) {
      if (t) fail(line, `text outside any <review>: ${JSON.stringify(t.slice(0, 40))}`);
      continue;
    }
    if (t === "</review>") {
      close(line);
      continue;
    }
    const open = /^<([a-z_]+)>$/.exec(t);
    if (open) {
      field = { name: open[1], line };
      if (!review.fields.has(open[1])) review.fields.set(open[1], []);
      continue;
    }
    if (t) review.bad ??= `line ${line} is outside any field of the review opened here`;
  }
  if (review) {
    const r: { line: number } = review;
    fail(r.line, "the file ends inside the review opened here");
  }
  return { reviews, problems };
}

/** All 2,000 reviews of a domain, positive file first, each with its file:line as `source`. */
export async function loadAmazonDomain(
  domain: AmazonDomain,
  options: AmazonOptions = {},
): Promise<Example[]> {
  if (!AMAZON_DOMAINS.includes(domain)) {
    throw new RangeError(
      `Unknown Amazon domain ${JSON.stringify(domain)}; valid: ${AMAZON_DOMAINS.join(", ")}`,
    );
  }
  const root = resolveDataRoot(options.dataRoot);
  const warn = options.onProblem ?? ((p: AmazonProblem) => console.warn(`${p.where}: ${p.what}`));
  const out: Example[] = [];
  for (const [file, label] of [["positive", 1], ["negative", 0]] as const) {
    const f = await readTextFile(root, `amazon/${domain}/${file}.review`);
    const { reviews, problems } = parseReviews(f.lines, f.display, options);
    problems.forEach(warn);
    for (const r of reviews) out.push({ text: r.text, label, source: `${f.display}:${r.line}` });
  }
  return out;
}

/** The documented deterministic split of one domain (see the file comment). */
export async function loadAmazonSplits(
  domain: AmazonDomain,
  options: AmazonOptions = {},
): Promise<Record<AmazonSplit, Example[]>> {
  const all = await loadAmazonDomain(domain, options);
  const seed = AMAZON_SPLIT_SEED + AMAZON_DOMAINS.indexOf(domain);
  const { train: rest, validation: test } = heldOutSplit(all, { fraction: 0.2, seed });
  const { train, validation: dev } = heldOutSplit(rest, {
    size: Math.round(all.length / 10),
    seed: seed + 100,
  });
  return { train, dev, test };
}
