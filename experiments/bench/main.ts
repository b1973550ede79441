/**
 * `deno task bench`: performance figures of the tfjs backend on this machine.
 *
 * Usage: deno run <permissions> experiments/bench/main.ts [--quick] [--json runs/bench.json]
 *        [--sections matmul,train_step] [--no-print-json]
 * Prints a table, then the same figures as one JSON object (unless --no-print-json); --json
 * also writes that object to a file (under runs/, the only writable folder).
 *
 * Minimal permissions (measured with --no-prompt, Deno 2.9.6, tfjs-backend-wasm 4.22):
 *   --allow-read=.                   the wasm binary
 *                                    (node_modules/.deno/...tfjs-backend-wasm-simd.wasm) and npm
 *                                    package files; the wasm backend reads nothing else
 *   --allow-env=ROSEARCH_BACKEND     the backend override (read only if granted: no prompt
 *                                    without it)
 *   --allow-write=runs               only for --json
 * No --allow-net, --allow-run, --allow-ffi or --allow-sys: tfjs-backend-wasm loads its .wasm
 * with fs.readFileSync in Deno's Node compatibility layer, and WebGPU needs no permission.
 * Full command:
 *   deno run --allow-read=. --allow-env=ROSEARCH_BACKEND --allow-write=runs \
 *     experiments/bench/main.ts
 */
import { initBackend } from "../../lib/backend/mod.ts";
import { type BenchContext, type BenchRow, SECTIONS } from "./sections/mod.ts";
import { parseCli } from "../_shared/cli.ts";

const HELP = `deno task bench [--quick] [--json FILE] [--sections a,b] [--no-print-json]
sections:\n${SECTIONS.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join("\n")}`;

export async function runBench(
  options: { quick?: boolean; sections?: string[] } = {},
): Promise<{ backend: unknown; quick: boolean; startedAt: string; rows: BenchRow[] }> {
  const unknown = (options.sections ?? []).filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new RangeError(
      `--sections: unknown section(s) ${unknown.join(", ")}; allowed: ${
        SECTIONS.map((s) => s.name).join(", ")
      }`,
    );
  }
  const startedAt = new Date().toISOString();
  const backend = await initBackend();
  const ctx: BenchContext = { quick: options.quick ?? false, backend, results: new Map() };
  const rows: BenchRow[] = [];
  for (const section of SECTIONS) {
    if (options.sections && !options.sections.includes(section.name)) continue;
    const r = await section.run(ctx);
    ctx.results.set(section.name, r);
    rows.push(...r);
  }
  return { backend, quick: ctx.quick, startedAt, rows };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(1);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export function formatTable(rows: BenchRow[]): string {
  const w = Math.max(...rows.map((r) => r.name.length), 10);
  const lines = [`${"section".padEnd(12)} ${"measurement".padEnd(w)} ${"value".padStart(10)} unit`];
  for (const r of rows) {
    lines.push(
      `${r.section.padEnd(12)} ${r.name.padEnd(w)} ${fmt(r.value).padStart(10)} ${r.unit}`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const { values } = parseCli({
    task: "bench",
    usage: HELP,
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      sections: { type: "string" },
      "no-print-json": { type: "boolean", default: false },
    },
  });
  const result = await runBench({
    quick: values.quick,
    sections: values.sections?.split(",").filter(Boolean),
  });
  const b = result.backend as { backend: string; reason: string; fixes: string[] };
  console.log(`backend: ${b.backend} (${b.reason})\nfixes: ${b.fixes.join(", ") || "none"}\n`);
  console.log(formatTable(result.rows));
  const json = JSON.stringify(result, null, 2);
  if (!values["no-print-json"]) console.log(`\n${json}`);
  if (values.json) {
    await Deno.writeTextFile(values.json, json + "\n");
    console.log(`wrote ${values.json}`);
  }
}
