/**
 * The word-vector corpus: tokenised, lower-cased word sequences from all the unlabelled text the
 * project bundles (labels are dropped). Sources, in this order:
 *
 * - `sst2`: GLUE SST-2. GLUE's train file holds every sub-phrase of its sentences as its own row,
 *   so only the train rows that are not a contiguous token span of another train row are kept
 *   (the whole sentences), plus all of dev.
 * - `mr`: Movie Review polarity (windows-1252).
 * - `textfooler`: the text columns of `data/textfooler/*` (premise and hypothesis for the NLI
 *   sets). `\uXXXX` escapes are decoded, and yelp's literal `\n` becomes a space.
 * - `amazon`: `<title>` and `<review_text>` of the eight `.review` files (`amazon_reviews.ts`).
 * - `trec`: the question after the `COARSE:fine` label (TREC.train is windows-1252).
 * - `subj`, `cr`, `mpqa`: one sentence a line (subj.subjective is windows-1252).
 *
 * Words are split by lib/robustness's `wordsFromText` (TextAttack's `words_from_text`) after
 * lower-casing, the same rule attacks use, so an attacked word finds its vector. A sequence
 * whose words equal an earlier one's is dropped (`dedupe`, default on): SST, MR, SUBJ and
 * TextFooler's MR share many Rotten Tomatoes sentences.
 */
import { loadMrAll, loadSst2, loadTextFooler, TEXTFOOLER_SETS } from "../data/mod.ts";
import { wordsFromText } from "../robustness/mod.ts";
import { parseAmazonReviews } from "./amazon_reviews.ts";
import { dataRootOf, type FileEncoding, readLines } from "./_text_files.ts";

export type CorpusSourceName =
  | "sst2"
  | "mr"
  | "textfooler"
  | "amazon"
  | "trec"
  | "subj"
  | "cr"
  | "mpqa";

export const CORPUS_SOURCES: readonly CorpusSourceName[] = [
  "sst2",
  "mr",
  "textfooler",
  "amazon",
  "trec",
  "subj",
  "cr",
  "mpqa",
];

/** The Amazon files, `amazon/<domain>/<polarity>.review`. */
export const AMAZON_FILES: readonly string[] = ["books", "dvd", "electronics", "kitchen"]
  .flatMap((d) => [`amazon/${d}/positive.review`, `amazon/${d}/negative.review`]);

/** One-sentence-a-line files and their encodings. */
const LINE_FILES: Record<"trec" | "subj" | "cr" | "mpqa", [string, FileEncoding][]> = {
  trec: [["trec/TREC.train", "windows-1252"], ["trec/TREC.test", "utf-8"]],
  subj: [["subj/subj.objective", "utf-8"], ["subj/subj.subjective", "windows-1252"]],
  cr: [["cr/custrev.pos", "utf-8"], ["cr/custrev.neg", "utf-8"]],
  mpqa: [["mpqa/mpqa.pos", "utf-8"], ["mpqa/mpqa.neg", "utf-8"]],
};

export interface CorpusSourceStats {
  source: CorpusSourceName;
  /** Sequences read (before removing duplicates). */
  read: number;
  /** Sequences kept. */
  sequences: number;
  /** Sequences dropped as duplicates of an earlier one. */
  duplicates: number;
  /** Tokens of the kept sequences. */
  tokens: number;
  /** Notes on what was taken (e.g. how many SST-2 train rows are whole sentences). */
  note: string;
}

export interface Corpus {
  /** Word sequences (lower-cased), in source order. */
  sequences: string[][];
  stats: CorpusSourceStats[];
  /** Total tokens and distinct words of `sequences`. */
  tokens: number;
  types: number;
  /** Malformed input that was skipped (file and line named); reading went on. */
  warnings: string[];
}

export interface CorpusOptions {
  /** Folder holding the data sets; default the project's `data/`. */
  dataRoot?: string;
  /** Which sources to read (default all, `CORPUS_SOURCES`). */
  sources?: readonly CorpusSourceName[];
  /** Drop sequences equal to an earlier one (default true). */
  dedupe?: boolean;
}

/** Lower-cases and splits a text into words as the attacks do. */
export function tokenize(text: string): string[] {
  return wordsFromText(text.toLowerCase());
}

/**
 * GLUE SST-2 train rows that are whole sentences: rows that are not a contiguous span of the
 * space-separated tokens of another (longer) row. Exact duplicate rows collapse to one.
 */
export function wholeSentences(rows: readonly string[]): string[] {
  const unique = [...new Set(rows.map((r) => r.trim()).filter((r) => r !== ""))];
  const spans = new Set<string>();
  for (const row of unique) {
    const t = row.split(/\s+/);
    for (let i = 0; i < t.length; i++) {
      let s = "";
      for (let j = i; j < t.length; j++) {
        if (i === 0 && j === t.length - 1) break; // the row itself
        s = j === i ? t[i] : `${s} ${t[j]}`;
        spans.add(s);
      }
    }
  }
  return unique.filter((r) => !spans.has(r.split(/\s+/).join(" ")));
}

/** Text of a TextFooler line with its escapes undone. */
function cleanTextFooler(text: string, set: string): string {
  let t = text.replace(
    /\\u([0-9a-fA-F]{4})/g,
    (_, h: string) => String.fromCharCode(parseInt(h, 16)),
  );
  if (set === "yelp") t = t.replace(/\\n/g, " ");
  return t;
}

async function readSource(
  source: CorpusSourceName,
  root: string,
  warnings: string[],
): Promise<{ texts: string[]; note: string }> {
  switch (source) {
    case "sst2": {
      const train = (await loadSst2("train", { dataRoot: root })).map((e) => e.text);
      const whole = wholeSentences(train);
      const dev = (await loadSst2("dev", { dataRoot: root })).map((e) => e.text);
      return {
        texts: [...whole, ...dev],
        note: `${whole.length} of ${train.length} train rows are whole sentences ` +
          `(the rest are their sub-phrases), + ${dev.length} dev`,
      };
    }
    case "mr": {
      const all = await loadMrAll({ dataRoot: root });
      return { texts: all.map((e) => e.text), note: "rt-polarity.pos + .neg (windows-1252)" };
    }
    case "textfooler": {
      const texts: string[] = [];
      for (const set of TEXTFOOLER_SETS) {
        for (const e of await loadTextFooler(set, { dataRoot: root })) {
          texts.push(cleanTextFooler(e.text, set));
          if (e.textB !== undefined) texts.push(cleanTextFooler(e.textB, set));
        }
      }
      return { texts, note: `${TEXTFOOLER_SETS.join(", ")}; NLI premise and hypothesis` };
    }
    case "amazon": {
      const texts: string[] = [];
      let reviews = 0;
      for (const rel of AMAZON_FILES) {
        const { display, lines } = await readLines(root, rel, "utf-8");
        const parsed = parseAmazonReviews(lines.map((l) => l.text).join("\n"), display);
        warnings.push(...parsed.warnings);
        reviews += parsed.reviews.length;
        for (const r of parsed.reviews) {
          if (r.title !== "") texts.push(r.title);
          texts.push(r.text);
        }
      }
      return {
        texts,
        note: `${reviews} reviews: \`<title>\` and \`<review_text>\` as two sequences`,
      };
    }
    case "trec":
    case "subj":
    case "cr":
    case "mpqa": {
      const texts: string[] = [];
      for (const [rel, encoding] of LINE_FILES[source]) {
        const { display, lines } = await readLines(root, rel, encoding);
        for (const { text, line } of lines) {
          if (text.trim() === "") continue;
          if (source !== "trec") {
            texts.push(text);
            continue;
          }
          const m = /^[A-Z]+:\S+\s+(.*)$/.exec(text);
          if (!m) {
            warnings.push(
              `${display}: line ${line}: expected "COARSE:fine question", got ` +
                `${JSON.stringify(text.slice(0, 40))}; skipped`,
            );
            continue;
          }
          texts.push(m[1]);
        }
      }
      const files = LINE_FILES[source].map(([rel, enc]) =>
        enc === "utf-8" ? rel : `${rel} (${enc})`
      );
      return {
        texts,
        note: source === "trec"
          ? `questions without labels: ${files.join(", ")}`
          : files.join(", "),
      };
    }
  }
}

/** Reads the corpus (see the file comment). */
export async function readCorpus(options: CorpusOptions = {}): Promise<Corpus> {
  const root = dataRootOf(options.dataRoot);
  const sources = options.sources ?? CORPUS_SOURCES;
  for (const s of sources) {
    if (!CORPUS_SOURCES.includes(s)) {
      throw new RangeError(
        `Unknown corpus source ${JSON.stringify(s)}; valid: ${CORPUS_SOURCES.join(", ")}`,
      );
    }
  }
  const dedupe = options.dedupe ?? true;
  const seen = new Set<string>();
  const sequences: string[][] = [];
  const stats: CorpusSourceStats[] = [];
  const warnings: string[] = [];
  const types = new Set<string>();
  let tokens = 0;
  for (const source of sources) {
    const { texts, note } = await readSource(source, root, warnings);
    const st: CorpusSourceStats = {
      source,
      read: 0,
      sequences: 0,
      duplicates: 0,
      tokens: 0,
      note,
    };
    for (const text of texts) {
      const words = tokenize(text);
      if (words.length === 0) continue;
      st.read++;
      if (dedupe) {
        const key = words.join(" ");
        if (seen.has(key)) {
          st.duplicates++;
          continue;
        }
        seen.add(key);
      }
      sequences.push(words);
      st.sequences++;
      st.tokens += words.length;
      for (const w of words) types.add(w);
    }
    tokens += st.tokens;
    stats.push(st);
  }
  return { sequences, stats, tokens, types: types.size, warnings };
}
