/**
 * The layout rules of docs/DESIGN.md, checked mechanically over every .ts file of lib/,
 * experiments/ and test/ (and the notebooks' code cells):
 * 1. a file outside an area imports it only through `lib/<area>/mod.ts` or `lib/<area>/tfjs.ts`;
 * 2. inside lib/, imports only go downward in the documented order of the areas;
 * 3. the tfjs-free surfaces (`mod.ts` of project, random, stats, search, search_space,
 *    robustness) never load TensorFlow.js, directly or through what they import.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { PROJECT_ROOT } from "../lib/project/mod.ts";

const ORDER = [
  "project",
  "random",
  "stats",
  "backend",
  "data",
  "models",
  "search_space",
  "distill",
  "robustness",
  "search",
  "queue",
  "track",
  "viz",
  "pipeline",
  "wordvec",
];
const TFJS_FREE = [
  "project",
  "random",
  "stats",
  "search",
  "search_space",
  "robustness",
  "queue",
];

function walk(dir: string, out: string[] = []): string[] {
  for (const e of Deno.readDirSync(join(PROJECT_ROOT, dir))) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory && e.name !== "node_modules" && !e.name.startsWith(".")) walk(p, out);
    else if (e.isFile && e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** Relative imports of a file (static, re-exports, dynamic), resolved to project paths. */
function importsOf(file: string, source = Deno.readTextFileSync(join(PROJECT_ROOT, file))) {
  const out: { spec: string; path: string | null; typeOnly: boolean }[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const typeOnly = /^\s*(?:import|export)\s+type\b/.test(m[0].trimStart());
    out.push({
      spec,
      path: spec.startsWith(".") ? normalize(join(dirname(file), spec)) : null,
      typeOnly,
    });
  }
  return out;
}

const files = [...walk("lib"), ...walk("experiments"), ...walk("test")];
const areaOf = (p: string) => p.startsWith("lib/") ? p.split("/")[1] : null;

Deno.test("boundaries: areas are imported via mod.ts, tfjs.ts, queue.ts, fused_build.ts", () => {
  const bad: string[] = [];
  for (const f of files) {
    for (const i of importsOf(f)) {
      const a = i.path && areaOf(i.path);
      if (!a || a === areaOf(f)) continue;
      const surface = i.path!.slice(`lib/${a}/`.length);
      // fused_build.ts: the fused kernels' build surface (npm wabt), for `deno task kernels` only
      if (!["mod.ts", "tfjs.ts", "queue.ts", "fused_build.ts"].includes(surface)) {
        bad.push(`${f} imports ${i.path}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("boundaries: inside lib/, imports only go downward in the documented order", () => {
  const bad: string[] = [];
  for (const f of files.filter((f) => f.startsWith("lib/") && !f.endsWith("_test.ts"))) {
    const from = areaOf(f)!;
    if (!ORDER.includes(from)) bad.push(`${f}: area ${from} is not in docs/DESIGN.md's order`);
    for (const i of importsOf(f)) {
      const to = i.path && areaOf(i.path);
      if (to && to !== from && ORDER.indexOf(to) > ORDER.indexOf(from)) {
        bad.push(`${f} (${from}) imports ${i.path} (${to}, below it)`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("boundaries: the tfjs-free surfaces never load TensorFlow.js", () => {
  const loadsTfjs = new Map<string, string | null>();
  const visit = (file: string): string | null => {
    if (loadsTfjs.has(file)) return loadsTfjs.get(file)!;
    loadsTfjs.set(file, null); // cycles: assume clean while visiting
    let why: string | null = null;
    for (const i of importsOf(file)) {
      if (i.typeOnly) continue; // erased at run time
      if (i.spec.startsWith("@tensorflow/")) why = `${file} imports ${i.spec}`;
      else if (i.path && i.path.endsWith(".ts")) {
        const w = visit(i.path);
        if (w) why = `${file} -> ${w}`;
      }
      if (why) break;
    }
    loadsTfjs.set(file, why);
    return why;
  };
  const bad = TFJS_FREE.map((a) => visit(`lib/${a}/mod.ts`)).filter((w) => w !== null);
  assert.deepEqual(bad, []);
  // and the rule can fail: tfjs.ts surfaces do load it
  assert.ok(visit("lib/search_space/tfjs.ts"));
});

Deno.test("boundaries: only lib/queue's mod.ts loads BullMQ (it reads all of the env)", () => {
  const seen = new Map<string, string | null>();
  const visit = (file: string): string | null => {
    if (seen.has(file)) return seen.get(file)!;
    seen.set(file, null);
    let why: string | null = null;
    for (const i of importsOf(file)) {
      if (i.typeOnly) continue;
      if (i.spec === "bullmq" || i.spec === "ioredis") why = `${file} imports ${i.spec}`;
      else if (i.path && i.path.endsWith(".ts")) {
        const w = visit(i.path);
        if (w) why = `${file} -> ${w}`;
      }
      if (why) break;
    }
    seen.set(file, why);
    return why;
  };
  const surfaces = files.filter((f) =>
    /^lib\/[a-z_]+\/(mod|tfjs)\.ts$/.test(f) && f !== "lib/queue/mod.ts"
  );
  assert.deepEqual(surfaces.map(visit).filter(Boolean), []);
});
