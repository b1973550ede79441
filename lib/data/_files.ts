/**
 * Reading bundled data files: where the data root is, how a file is decoded, how it is cut
 * into numbered lines, and how a bad line is reported (DESIGN.md rule 9).
 */
import { fileURLToPath } from "node:url";
import { isAbsolute, join, resolve } from "node:path";

/** `<repo>/data/`, found from this module's own location so it works from any cwd. */
export const DEFAULT_DATA_ROOT: string = fileURLToPath(new URL("../../data/", import.meta.url));

/** Options every loader takes. */
export interface LoaderOptions {
  /** Folder holding the data sets; default: the project's `data/` (found from this module). */
  dataRoot?: string;
}

/**
 * The data root to use: `root` if given (absolute, or relative to the cwd), else the bundled one.
 */
export function resolveDataRoot(root?: string): string {
  if (root === undefined) return DEFAULT_DATA_ROOT;
  return isAbsolute(root) ? root : resolve(root);
}

/**
 * How a file is named in messages: `data/sst2/train.tsv` for the bundled root, else a full path.
 */
export function displayPath(root: string, relative: string): string {
  return resolve(root) === resolve(DEFAULT_DATA_ROOT) ? `data/${relative}` : join(root, relative);
}

/** The byte encodings bundled files use. */
export type TextEncoding = "utf-8" | "windows-1252";

/** One line of a text file, with its 1-based line number. */
export interface TextLine {
  text: string;
  line: number;
}

/** A decoded file cut into lines (trailing newline dropped, `\r\n` tolerated). */
export interface TextFile {
  /** The file as named in messages. */
  display: string;
  lines: TextLine[];
}

/** `Cannot load <file>: line <n> <what>` as a SyntaxError. */
export function lineError(display: string, line: number, what: string): SyntaxError {
  return new SyntaxError(`Cannot load ${display}: line ${line} ${what}`);
}

/** Reads the raw bytes of `relative` under `root`, with a clear error for a missing file. */
export async function readDataBytes(root: string, relative: string): Promise<Uint8Array> {
  const path = join(root, relative);
  try {
    return await Deno.readFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Cannot load ${displayPath(root, relative)}: file not found (data root ${root})`,
      );
    }
    throw err;
  }
}

/**
 * Decodes `bytes` as `encoding`. UTF-8 is decoded with `fatal: true` (a leading BOM is dropped);
 * an invalid byte sequence is reported with the number of the line that holds it.
 * `windows-1252` cannot fail: every byte maps to a character (WHATWG's "latin1" label is this
 * same decoder, so 0x85 is "…" and 0x91/0x92 are curly quotes, as in the MR files).
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding, display: string): string {
  if (encoding === "windows-1252") return new TextDecoder("windows-1252").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const strict = new TextDecoder("utf-8", { fatal: true });
    let start = 0;
    let line = 1;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          strict.decode(bytes.subarray(start, i));
        } catch {
          throw lineError(
            display,
            line,
            "is not valid UTF-8 (the file is read as UTF-8; was it saved as Latin-1/windows-1252?)",
          );
        }
        start = i + 1;
        line++;
      }
    }
    throw new SyntaxError(`Cannot load ${display}: not valid UTF-8`);
  }
}

/** Cuts decoded text into numbered lines; the empty string after a final newline is dropped. */
export function splitLines(text: string): TextLine[] {
  const parts = text.split("\n");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts.map((t, i) => ({ text: t.endsWith("\r") ? t.slice(0, -1) : t, line: i + 1 }));
}

/** Reads, decodes and splits one data file. */
export async function readTextFile(
  root: string,
  relative: string,
  encoding: TextEncoding = "utf-8",
): Promise<TextFile> {
  const display = displayPath(root, relative);
  const bytes = await readDataBytes(root, relative);
  const lines = splitLines(decodeText(bytes, encoding, display));
  if (lines.every((l) => l.text.trim() === "")) {
    throw new SyntaxError(`Cannot load ${display}: the file is empty (no line with text)`);
  }
  return { display, lines };
}
