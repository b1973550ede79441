/**
 * Static checks of every notebook in notebooks/ (no kernel needed; `test/run_notebooks.ts` runs
 * them for real):
 * - the file is valid nbformat 4 JSON (cells with the right fields, `source` a string or list of
 *   strings, code cells with `outputs` and `execution_count`) whose kernelspec is `deno`;
 * - the code cells type-check: they are joined, in order, into one temporary module (top-level
 *   await is allowed, as in the kernel) with relative imports rewritten to absolute file URLs as
 *   seen from notebooks/ (the kernel's working directory), written to a temporary folder (the
 *   test task may not write to notebooks/) and `deno check`ed with the project's deno.json in a
 *   subprocess (`deno` by name, see deno_command.ts); an error names the notebook, the cell and
 *   the line in the cell.
 *   Cells starting with a Jupyter magic (`%`/`!`) are skipped. `Deno.jupyter` is declared by
 *   Deno's unstable types, hence the `/// <reference lib="deno.unstable" />` line on top.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DENO } from "./deno_command.ts";

const NOTEBOOKS = fileURLToPath(new URL("../notebooks/", import.meta.url));
const CONFIG = fileURLToPath(new URL("../deno.json", import.meta.url));

const source = z.union([z.string(), z.array(z.string())]);
const cellSchema = z.discriminatedUnion("cell_type", [
  z.object({
    cell_type: z.literal("code"),
    source,
    metadata: z.record(z.unknown()),
    outputs: z.array(
      z.object({
        output_type: z.enum([
          "stream",
          "display_data",
          "execute_result",
          "error",
          "update_display_data",
        ]),
      }).passthrough(),
    ),
    execution_count: z.number().int().nullable(),
    id: z.string().optional(),
  }),
  z.object({
    cell_type: z.literal("markdown"),
    source,
    metadata: z.record(z.unknown()),
    id: z.string().optional(),
  }).passthrough(),
  z.object({
    cell_type: z.literal("raw"),
    source,
    metadata: z.record(z.unknown()),
    id: z.string().optional(),
  }).passthrough(),
]);
const notebookSchema = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int().nonnegative(),
  metadata: z.object({
    kernelspec: z.object({
      name: z.literal("deno"),
      display_name: z.string(),
      language: z.string(),
    }),
  }).passthrough(),
  cells: z.array(cellSchema).min(1),
});
type Notebook = z.infer<typeof notebookSchema>;

const names = [...Deno.readDirSync(NOTEBOOKS)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ipynb"))
  .sort();

function text(s: string | string[]): string {
  return Array.isArray(s) ? s.join("") : s;
}

function readNotebook(name: string): Notebook {
  const raw = Deno.readTextFileSync(join(NOTEBOOKS, name));
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new SyntaxError(`notebooks/${name} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = notebookSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new TypeError(
      `notebooks/${name} is not an nbformat 4 notebook with kernel "deno": ${issues}`,
    );
  }
  return parsed.data;
}

Deno.test("notebooks: there are notebooks to check", () => {
  assert.ok(names.length >= 1, `no .ipynb in ${NOTEBOOKS}`);
});

Deno.test("notebooks: valid nbformat 4 JSON with kernel deno and small outputs", () => {
  for (const name of names) {
    const nb = readNotebook(name);
    const size = Deno.statSync(join(NOTEBOOKS, name)).size;
    assert.ok(size < 1_500_000, `notebooks/${name} is ${size} bytes: keep committed outputs small`);
    assert.ok(nb.cells.some((c) => c.cell_type === "code"), `notebooks/${name} has no code cell`);
  }
});

/** Joins the code cells into one module; returns it and the first line of each cell. */
export function notebookModule(
  nb: Notebook,
): { code: string; starts: { cell: number; line: number }[] } {
  const lines = ['/// <reference lib="deno.unstable" />'];
  const starts: { cell: number; line: number }[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    const src = text(c.source);
    if (/^\s*[%!]/.test(src)) return; // Jupyter magics / shell escapes are not TypeScript
    lines.push(`// ---- cell ${i + 1}`);
    starts.push({ cell: i + 1, line: lines.length + 1 });
    lines.push(...absoluteImports(src).split("\n"), ";");
  });
  lines.push("export {};");
  return { code: lines.join("\n") + "\n", starts };
}

/**
 * `from "../x"`, `import "./x"`, `import("../x")` → absolute file URLs, resolved from notebooks/.
 */
export function absoluteImports(src: string): string {
  const abs = (spec: string) => new URL(spec, `file://${NOTEBOOKS}`).href;
  return src
    .replace(
      /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?\/[^"']+)\2/g,
      (_m, pre, q, spec) => `${pre}${q}${abs(spec)}${q}`,
    );
}

/** "cell N, line M" of a line of the joined module. */
function cellOf(line: number, starts: { cell: number; line: number }[]): string {
  let found = starts[0];
  for (const s of starts) if (s.line <= line) found = s;
  return found ? `cell ${found.cell} line ${line - found.line + 1}` : `line ${line}`;
}

/** Escapes a string for use inside a RegExp. */
const reEscape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// One `deno check` for all notebooks (the library is type-checked once, not once per notebook);
// each error is attributed to its notebook, cell and line.
Deno.test("notebooks: every notebook's code cells type-check", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "notebook_check_" });
  try {
    const modules = names.map((name) => {
      const { code, starts } = notebookModule(readNotebook(name));
      const path = join(dir, `${basename(name, ".ipynb")}.ts`);
      Deno.writeTextFileSync(path, code);
      return { name, path, starts };
    });
    const out = await new Deno.Command(DENO, {
      args: ["check", "--quiet", "--config", CONFIG, ...modules.map((m) => m.path)],
      cwd: NOTEBOOKS,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      let msg = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
      const failing = new Set<string>();
      for (const m of modules) {
        msg = msg.replace(
          new RegExp(`at file://${reEscape(m.path)}:(\\d+):(\\d+)`, "g"),
          (_all, l, c) => {
            failing.add(m.name);
            return `at notebooks/${m.name} ${cellOf(Number(l), m.starts)} col ${c}`;
          },
        );
      }
      assert.fail(`type errors in ${[...failing].join(", ") || "the notebooks"}:\n${msg}`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
