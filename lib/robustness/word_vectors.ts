/**
 * Word vectors on disk and in memory. A folder (default `data/wordvec/`) holds
 *
 * - `words.txt`: `word<TAB>count` a line, row order of the matrices (count = corpus
 *   occurrences);
 * - `vectors.safetensors`: tensor `vectors`, F16 `[words, dim]`, the counter-fitted vectors;
 * - optionally `skipgram.safetensors`: the same rows before counter-fitting.
 *
 * Each safetensors file's `__metadata__` has `format: "rosearch-wordvec/1"`, `words` (the row
 * count, checked against words.txt), `stage` and the build's settings. Rows are unit length.
 * `loadWordVectors` returns a `WordVectors`, a lib/robustness `MatrixEmbedding` (so a
 * `WordEmbedding` for the attack recipes) that also carries the counts and metadata.
 */
import { join } from "node:path";
import { z } from "zod";
import { parseSafetensors, SafetensorsError, serializeSafetensors } from "../models/mod.ts";
import { MatrixEmbedding, type MatrixEmbeddingOptions } from "./embedding.ts";
import { PROJECT_ROOT, relativeToProject } from "../project/mod.ts";

/** The bundled word vectors. */
export const DEFAULT_WORDVEC_DIR: string = `${PROJECT_ROOT}data/wordvec`;
export const WORDVEC_FORMAT = "rosearch-wordvec/1";
export const WORDS_FILE = "words.txt";
export const VECTORS_FILE = "vectors.safetensors";
export const SKIPGRAM_FILE = "skipgram.safetensors";
const TENSOR = "vectors";

export interface WordVectorsOptions extends MatrixEmbeddingOptions {
  /** Corpus occurrences of each word. */
  counts: Int32Array;
  metadata?: Record<string, string>;
  /** The file the vectors came from. */
  path?: string;
}

/** A `MatrixEmbedding` over the words of a word-vector folder, with their counts. */
export class WordVectors extends MatrixEmbedding {
  readonly counts: Int32Array;
  readonly metadata: Readonly<Record<string, string>>;
  /** The safetensors file the vectors came from. */
  readonly path: string;

  constructor(words: readonly string[], matrix: Float32Array, options: WordVectorsOptions) {
    const { counts, metadata, path, ...embeddingOptions } = options;
    super(words, matrix, embeddingOptions);
    const info = { counts, metadata, path };
    if (info.counts.length !== words.length) {
      throw new RangeError(`WordVectors: ${words.length} words but ${info.counts.length} counts`);
    }
    this.counts = info.counts;
    this.metadata = info.metadata ?? {};
    this.path = info.path ?? "(memory)";
  }
}

const wordLine = z.tuple([
  z.string().min(1).regex(/^\S+$/, "a word has no spaces"),
  z.string().regex(/^[0-9]+$/, "a count is a non-negative integer").transform(Number),
]);

/** `words.txt` text for `words` and `counts`. */
export function formatWords(words: readonly string[], counts: Int32Array): string {
  return words.map((w, i) => `${w}\t${counts[i]}\n`).join("");
}

/** Parses words.txt; `display` names the file in errors. */
export function parseWords(text: string, display: string): { words: string[]; counts: Int32Array } {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const words: string[] = [];
  const counts = new Int32Array(lines.length);
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const r = wordLine.safeParse(line.split("\t"));
    if (!r.success) {
      throw new SyntaxError(
        `Cannot load ${display}: line ${i + 1} is ${JSON.stringify(line.slice(0, 60))}, ` +
          `expected word<TAB>count (${r.error.issues[0].message})`,
      );
    }
    if (seen.has(r.data[0])) {
      throw new SyntaxError(
        `Cannot load ${display}: line ${i + 1} repeats the word ${JSON.stringify(r.data[0])}`,
      );
    }
    seen.add(r.data[0]);
    words.push(r.data[0]);
    counts[i] = r.data[1];
  });
  if (words.length === 0) throw new SyntaxError(`Cannot load ${display}: no words`);
  return { words, counts };
}

/** The bytes of a vectors file (F16 unless told), with the format's metadata added. */
export function serializeVectors(
  vectors: Float32Array,
  options: { rows: number; metadata?: Record<string, string>; dtype?: "F16" | "F32" },
): Uint8Array {
  const { rows, metadata = {}, dtype = "F16" } = options;
  if (rows < 1 || vectors.length % rows !== 0) {
    throw new RangeError(`serializeVectors: ${vectors.length} values do not make ${rows} rows`);
  }
  return serializeSafetensors(
    { [TENSOR]: { shape: [rows, vectors.length / rows], data: vectors, dtype } },
    { metadata: { ...metadata, format: WORDVEC_FORMAT, words: String(rows) } },
  );
}

/** Writes words.txt and one vectors file (`file`, default vectors.safetensors) into `dir`. */
export async function writeWordVectors(
  dir: string,
  data: { words: readonly string[]; counts: Int32Array; vectors: Float32Array },
  options: { file?: string; metadata?: Record<string, string> } = {},
): Promise<{ wordsPath: string; vectorsPath: string }> {
  const { file = VECTORS_FILE, metadata = {} } = options;
  await Deno.mkdir(dir, { recursive: true });
  const wordsPath = join(dir, WORDS_FILE), vectorsPath = join(dir, file);
  await Deno.writeTextFile(wordsPath, formatWords(data.words, data.counts));
  await Deno.writeFile(
    vectorsPath,
    serializeVectors(data.vectors, { rows: data.words.length, metadata }),
  );
  return { wordsPath, vectorsPath };
}

async function readOrExplain(path: string, what: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Cannot load word vectors: ${relativeToProject(path)} (${what}) not found; ` +
          "rebuild data/wordvec with `deno task wordvectors`",
      );
    }
    throw e;
  }
}

export interface LoadWordVectorsOptions extends MatrixEmbeddingOptions {
  /** Which vectors file of the folder (default vectors.safetensors; or skipgram.safetensors). */
  file?: string;
}

/**
 * Loads a word-vector folder (default `data/wordvec/`) as a `WordVectors` (`MatrixEmbedding`).
 * Missing or corrupt files give an error naming the file.
 */
export async function loadWordVectors(
  dir: string = DEFAULT_WORDVEC_DIR,
  options: LoadWordVectorsOptions = {},
): Promise<WordVectors> {
  const { file = VECTORS_FILE, ...embeddingOptions } = options;
  const wordsPath = join(dir, WORDS_FILE), vectorsPath = join(dir, file);
  const wordsShown = relativeToProject(wordsPath), vectorsShown = relativeToProject(vectorsPath);
  const wordBytes = await readOrExplain(wordsPath, "the word list");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(wordBytes);
  } catch {
    throw new SyntaxError(`Cannot load ${wordsShown}: not valid UTF-8`);
  }
  const { words, counts } = parseWords(text, wordsShown);
  const bytes = await readOrExplain(vectorsPath, "the vectors");
  let parsed;
  try {
    parsed = parseSafetensors(bytes, vectorsShown);
  } catch (e) {
    if (e instanceof SafetensorsError) {
      throw new SyntaxError(`Cannot load word vectors: ${e.message}`);
    }
    throw e;
  }
  const bad = (what: string) => new SyntaxError(`Cannot load ${vectorsShown}: ${what}`);
  const { metadata, tensors } = parsed;
  if (metadata.format !== WORDVEC_FORMAT) {
    throw bad(`metadata format is ${JSON.stringify(metadata.format)}, expected ${WORDVEC_FORMAT}`);
  }
  const t = tensors.get(TENSOR);
  if (!t) throw bad(`no tensor "${TENSOR}" (has: ${[...tensors.keys()].join(", ") || "none"})`);
  if (!(t.data instanceof Float32Array) || t.shape.length !== 2) {
    throw bad(`tensor "${TENSOR}" must be a float matrix, got ${t.dtype} [${t.shape}]`);
  }
  if (t.shape[0] !== words.length || metadata.words !== String(words.length)) {
    throw bad(
      `${t.shape[0]} rows (metadata words=${metadata.words}) but ${wordsShown} lists ` +
        `${words.length} words`,
    );
  }
  for (let i = 0; i < t.data.length; i++) {
    if (!Number.isFinite(t.data[i])) {
      throw bad(`value ${i} (row ${Math.floor(i / t.shape[1])}) is ${t.data[i]}`);
    }
  }
  return new WordVectors(words, t.data, {
    ...embeddingOptions,
    counts,
    metadata,
    path: vectorsPath,
  });
}
