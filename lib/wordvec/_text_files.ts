/**
 * Reading the bundled plain-text files of the corpus: a file is decoded as UTF-8 (strict: a bad
 * byte is reported with its line) or as windows-1252, the superset of Latin-1 that the
 * Pang & Lee and TREC files are written in (WHATWG's "latin1" label is this same decoder, so
 * 0x85 is "…" and 0x91/0x92 are curly quotes; the accented letters are those of Latin-1).
 */
import { isAbsolute, join, resolve } from "node:path";
import { DEFAULT_DATA_ROOT } from "../data/mod.ts";

/** Byte encodings of bundled files. */
export type FileEncoding = "utf-8" | "windows-1252";

/** `root` (absolute, or relative to the cwd), else the project's `data/`. */
export function dataRootOf(root?: string): string {
  if (root === undefined) return DEFAULT_DATA_ROOT;
  return isAbsolute(root) ? root : resolve(root);
}

/** `data/<rel>` for the bundled root, else the full path: how a file is named in messages. */
export function displayOf(root: string, rel: string): string {
  return resolve(root) === resolve(DEFAULT_DATA_ROOT) ? `data/${rel}` : join(root, rel);
}

/** One decoded line with its 1-based number. */
export interface NumberedLine {
  text: string;
  line: number;
}

/** Decodes bytes; UTF-8 failures name the first bad line of `display`. */
export function decodeBytes(bytes: Uint8Array, encoding: FileEncoding, display: string): string {
  if (encoding === "windows-1252") return new TextDecoder("windows-1252").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    let start = 0, line = 1;
    const strict = new TextDecoder("utf-8", { fatal: true });
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        strict.decode(bytes.subarray(start, i));
      } catch {
        throw new SyntaxError(
          `Cannot read ${display}: line ${line} is not valid UTF-8 (read as UTF-8; ` +
            "if the file is Latin-1, list it as windows-1252 in lib/wordvec/corpus.ts)",
        );
      }
      start = i + 1;
      line++;
    }
    throw new SyntaxError(`Cannot read ${display}: not valid UTF-8`);
  }
}

/** Reads and decodes `<root>/<rel>` into numbered lines (`\r\n` tolerated). */
export async function readLines(
  root: string,
  rel: string,
  encoding: FileEncoding,
): Promise<{ display: string; lines: NumberedLine[] }> {
  const display = displayOf(root, rel);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(join(root, rel));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot read ${display}: file not found (data root ${root})`);
    }
    throw e;
  }
  const parts = decodeBytes(bytes, encoding, display).split("\n");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return {
    display,
    lines: parts.map((t, i) => ({ text: t.endsWith("\r") ? t.slice(0, -1) : t, line: i + 1 })),
  };
}
