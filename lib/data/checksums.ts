/**
 * Integrity of the bundled data: `data/SHA256SUMS` (`sha256sum` format, `<hex>  <path>` with paths
 * relative to the data root) checked with node:crypto. `sha256sum -c SHA256SUMS` in `data/` does
 * the same from a shell.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import { decodeText, displayPath, lineError, resolveDataRoot, splitLines } from "./_files.ts";

export interface ChecksumEntry {
  path: string;
  sha256: string;
}

export interface ChecksumReport {
  /** Every listed file exists and matches. */
  ok: boolean;
  root: string;
  /** Files checked (listed in SHA256SUMS). */
  checked: number;
  /** Files whose bytes differ, with expected and actual digests. */
  mismatched: { path: string; expected: string; actual: string }[];
  /** Listed files that are not there. */
  missing: string[];
}

const lineSchema = z.string().regex(
  /^[0-9a-f]{64} [ *][^\s].*$/,
  "expected `<64 hex digits>  <path>`",
);

/** Parses a SHA256SUMS file's text. */
export function parseChecksums(text: string, display = "SHA256SUMS"): ChecksumEntry[] {
  return splitLines(text).filter((l) => l.text.trim() !== "").map((l) => {
    const r = lineSchema.safeParse(l.text);
    if (!r.success) {
      throw lineError(
        display,
        l.line,
        `is ${JSON.stringify(l.text)}: ${r.error.issues[0].message}`,
      );
    }
    return { sha256: l.text.slice(0, 64), path: l.text.slice(66) };
  });
}

/** SHA-256 of a byte array, lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Checks every file listed in `<dataRoot>/SHA256SUMS` (default: the project's data/). */
export async function verifyChecksums(dataRoot?: string): Promise<ChecksumReport> {
  const root = resolveDataRoot(dataRoot);
  const sumsDisplay = displayPath(root, "SHA256SUMS");
  const entries = parseChecksums(
    decodeText(await Deno.readFile(join(root, "SHA256SUMS")), "utf-8", sumsDisplay),
    sumsDisplay,
  );
  const report: ChecksumReport = {
    ok: true,
    root,
    checked: entries.length,
    mismatched: [],
    missing: [],
  };
  for (const e of entries) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(join(root, e.path));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        report.missing.push(e.path);
        continue;
      }
      throw err;
    }
    const actual = sha256Hex(bytes);
    if (actual !== e.sha256) report.mismatched.push({ path: e.path, expected: e.sha256, actual });
  }
  report.ok = report.mismatched.length === 0 && report.missing.length === 0;
  return report;
}

/** Like `verifyChecksums`, but throws naming every bad file. */
export async function assertChecksums(dataRoot?: string): Promise<ChecksumReport> {
  const r = await verifyChecksums(dataRoot);
  if (!r.ok) {
    const bad = [
      ...r.mismatched.map((m) => `${m.path} (sha256 differs)`),
      ...r.missing.map((p) => `${p} (missing)`),
    ];
    throw new Error(`Bundled data in ${r.root} failed its checksums: ${bad.join(", ")}`);
  }
  return r;
}
