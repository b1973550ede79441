/**
 * House style: no line of a TypeScript file under lib/, experiments/ or test/ is wider than
 * deno.json's `fmt.lineWidth` (100 columns). `deno fmt` wraps code but not comments or string
 * literals, so long ones only show up here. Every .ts file counts, tracked by git or not;
 * node_modules/ is skipped. Columns are Unicode code points (a tab counts as one).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const FOLDERS = ["lib", "experiments", "test"];

/** `fmt.lineWidth` from deno.json (Deno's default, 80, when it is not set). */
async function lineWidth(): Promise<number> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const width = config.fmt?.lineWidth ?? 80;
  assert.ok(Number.isInteger(width) && width > 0, `deno.json fmt.lineWidth: ${width}`);
  return width;
}

/** Paths (relative to the repository root, sorted) of the .ts files under `dir`. */
async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(`${ROOT}${dir}`)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && entry.name !== "node_modules") out.push(...await tsFiles(path));
    else if (entry.isFile && entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** `file:line (N columns)` for every line of `text` wider than `width`. */
function longLines(file: string, text: string, width: number): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const columns = [...line].length;
    if (columns > width) out.push(`${file}:${i + 1} (${columns} columns)`);
  });
  return out;
}

Deno.test("longLines names file:line of each line over the width", () => {
  assert.deepEqual(longLines("a.ts", "ok\n" + "x".repeat(11) + "\r\n" + "é".repeat(10), 10), [
    "a.ts:2 (11 columns)",
  ]);
  assert.deepEqual(longLines("a.ts", "", 10), []);
});

Deno.test("no .ts line under lib/, experiments/, test/ is wider than fmt.lineWidth", async () => {
  const width = await lineWidth();
  const files = (await Promise.all(FOLDERS.map(tsFiles))).flat();
  assert.ok(files.length > 0, "no .ts files found");
  const long: string[] = [];
  for (const file of files) {
    long.push(...longLines(file, await Deno.readTextFile(`${ROOT}${file}`), width));
  }
  if (long.length > 0) {
    assert.fail(
      `${long.length} lines wider than ${width} columns (wrap the comment or split the string ` +
        `with +):\n${long.join("\n")}`,
    );
  }
});
