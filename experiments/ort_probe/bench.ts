/**
 * Step 4: examples per second of tfjs-wasm (experiments/attack/throughput.ts rawBatchThroughput,
 * called directly) against onnxruntime-node (CPU EP, graphOptimizationLevel "all",
 * intraOpNumThreads 1 and 2) on the teacher and the TinyBERT student, batch 64 and batch 8
 * (the first n SST-2 dev sentences padded to their longest). Each figure: one warm-up, median of
 * 7 runs, probabilities read back; ORT's time includes building the int64/float32 input tensors.
 * All in one process, alternating; the whole table `--rounds` times (default 2).
 * Also records each measurement's process CPU time (process.cpuUsage) to show cores used.
 * Writes results/bench.json.
 *
 *   cd experiments/ort_probe && deno task bench [--rounds 2]
 */
import process from "node:process";
import { rawBatchThroughput } from "../attack/throughput.ts";
import {
  createSession,
  devTexts,
  exportOnnx,
  load,
  makeBatch,
  type ModelName,
  ortBatchThroughput,
  RESULTS_DIR,
  setupBackend,
} from "./common.ts";

const args = Deno.args;
const rounds = Number(args[args.indexOf("--rounds") + 1] ?? 2) || 2;
const REPEATS = 7;
const BATCHES = [64, 8];

const backend = await setupBackend();
console.log(
  `backend ${backend.backend} simd=${backend.simd} threads=${backend.threads} ` +
    `fused=${backend.fused.active}`,
);
const texts = await devTexts();

const setup = [];
for (const name of ["teacher", "tinybert"] as ModelName[]) {
  const l = await load(name);
  const ex = exportOnnx(l);
  const s1 = await createSession(ex.bytes, 1);
  const s2 = await createSession(ex.bytes, 2);
  const batches = new Map(
    BATCHES.map((b) => [b, makeBatch(l.model, l.tokenizer, texts.slice(0, b))]),
  );
  console.log(
    `${name}: ${l.model.countParams()} params, onnx ${(ex.bytes.length / 1e6).toFixed(2)} MB, ` +
      `export ${ex.ms.toFixed(0)} ms, session create t1 ${s1.ms.toFixed(0)} ms, t2 ${
        s2.ms.toFixed(0)
      } ms, ` +
      `seqLen ${BATCHES.map((b) => `b${b}:${batches.get(b)!.seqLen}`).join(" ")}`,
  );
  setup.push({
    name,
    l,
    s1: s1.session,
    s2: s2.session,
    batches,
    exportMs: ex.ms,
    createMs: [s1.ms, s2.ms],
    onnxBytes: ex.bytes.length,
  });
}

const loadavgStart = Deno.loadavg().join(" ");
console.log(`${new Date().toISOString()} loadavg ${loadavgStart}`);

/** Process CPU seconds (user + system). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Row {
  round: number;
  model: string;
  batch: number;
  seqLen: number;
  runtime: string;
  examplesPerSecond: number;
  msPerBatch: number;
  cpuPerWall: number;
}
const rows: Row[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const s of setup) {
    for (const b of BATCHES) {
      const batch = s.batches.get(b)!;
      const labels = s.l.config.num_labels;
      const measure = async (
        runtime: string,
        f: () => Promise<{ examplesPerSecond: number; msPerBatch: number; seqLen: number }>,
      ) => {
        const c0 = cpuSeconds(), t0 = performance.now();
        const r = await f();
        const cpuPerWall = (cpuSeconds() - c0) / ((performance.now() - t0) / 1000);
        const row = {
          round,
          model: s.name,
          batch: b,
          seqLen: r.seqLen,
          runtime,
          examplesPerSecond: r.examplesPerSecond,
          msPerBatch: r.msPerBatch,
          cpuPerWall,
        };
        rows.push(row);
        console.log(
          `round ${round} ${s.name.padEnd(8)} b${String(b).padEnd(2)} seq ${r.seqLen} ${
            runtime.padEnd(10)
          } ` +
            `${r.examplesPerSecond.toFixed(1).padStart(8)} ex/s  ${
              r.msPerBatch.toFixed(2).padStart(8)
            } ms/batch  cpu/wall ${cpuPerWall.toFixed(2)}`,
        );
      };
      await measure(
        "tfjs-wasm",
        () =>
          Promise.resolve(
            rawBatchThroughput(s.l.model, s.l.tokenizer, texts, { batchSize: b, repeats: REPEATS }),
          ),
      );
      await measure("ort-t1", () => ortBatchThroughput(s.s1, batch, labels, REPEATS));
      await measure("ort-t2", () => ortBatchThroughput(s.s2, batch, labels, REPEATS));
    }
  }
}
const loadavgEnd = Deno.loadavg().join(" ");
console.log(`loadavg at end ${loadavgEnd}`);

// Summary table.
console.log(
  "\n| round | model | batch | seq | tfjs-wasm ex/s | ORT t1 ex/s (x) | ORT t2 ex/s (x) |",
);
console.log("|---|---|---|---|---|---|---|");
for (let round = 1; round <= rounds; round++) {
  for (const s of setup) {
    for (const b of BATCHES) {
      const get = (rt: string) =>
        rows.find((r) =>
          r.round === round && r.model === s.name && r.batch === b && r.runtime === rt
        )!;
      const t = get("tfjs-wasm"), o1 = get("ort-t1"), o2 = get("ort-t2");
      console.log(
        `| ${round} | ${s.name} | ${b} | ${t.seqLen} | ${t.examplesPerSecond.toFixed(0)} | ` +
          `${o1.examplesPerSecond.toFixed(0)} (${
            (o1.examplesPerSecond / t.examplesPerSecond).toFixed(2)
          }x) | ` +
          `${o2.examplesPerSecond.toFixed(0)} (${
            (o2.examplesPerSecond / t.examplesPerSecond).toFixed(2)
          }x) |`,
      );
    }
  }
}
Deno.mkdirSync(RESULTS_DIR, { recursive: true });
Deno.writeTextFileSync(
  `${RESULTS_DIR}/bench.json`,
  JSON.stringify(
    {
      backend,
      loadavgStart,
      loadavgEnd,
      setup: setup.map((s) => ({
        name: s.name,
        exportMs: s.exportMs,
        createMs: s.createMs,
        onnxBytes: s.onnxBytes,
      })),
      rows,
    },
    null,
    2,
  ),
);
for (const s of setup) {
  await s.s1.release();
  await s.s2.release();
}
