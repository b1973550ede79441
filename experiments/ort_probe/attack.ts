/**
 * End to end: TextFooler on the first N SST-2 dev sentences (warm-up: sentence N, not timed), the
 * attacks' default embedding (teacherEmbedding), victim batch 64, goal batch 32 — exactly
 * measureAttackThroughput — with the victim's forward pass in tfjs-wasm (fused kernels on) and in
 * onnxruntime-node (CPU EP, 1 and 2 intra-op threads). Same tokenisation, same LRU cache, same
 * batching; only the forward pass differs. Every result compared (type, adversarial text, queries).
 *
 *   cd experiments/ort_probe && deno task attack [--n 30]
 */
import { DEFAULT_TEACHER_DIR, maxLengthOf } from "../attack/setup.ts";
import { columnLabelsOf, loadSplit } from "../../lib/data/mod.ts";
import {
  type AttackResult,
  buildRecipe,
  createBatchedVictim,
  runAttack,
} from "../../lib/robustness/mod.ts";
import { attackModel, attackResources } from "../../lib/robustness/tfjs.ts";
import { wilson } from "../../lib/stats/mod.ts";
import {
  createSession,
  exportOnnx,
  load,
  type Loaded,
  type ModelName,
  ort,
  ortLogits,
  RESULTS_DIR,
  setupBackend,
  softmaxRows,
} from "./common.ts";

const args = Deno.args;
const n = Number(args[args.indexOf("--n") + 1] ?? 20) || 20;
const backend = await setupBackend();
console.log(`backend ${backend.backend} simd=${backend.simd} fused=${backend.fused.active}`);
console.log(`loadavg ${Deno.loadavg().join(" ")}`);

/** lib/robustness's batched, cached victim (as createModelVictim) with the forward pass in ORT. */
function ortVictim(l: Loaded, session: ort.InferenceSession, batchSize = 64) {
  const labels = l.config.num_labels as number;
  return createBatchedVictim(labels, l.tokenizer, async (batch) => {
    const p = softmaxRows(await ortLogits(session, batch), labels);
    return Array.from(
      { length: batch.batchSize },
      (_, r) => Array.from(p.subarray(r * labels, (r + 1) * labels)),
    );
  }, { batchSize, maxLength: maxLengthOf(l.model) });
}

const key = (r: AttackResult) => `${r.resultType}|${r.perturbed.attackedText.text}|${r.numQueries}`;
const dev = await loadSplit("sst2", "dev");
const examples = dev.slice(0, n);
const resources = await attackResources(["textfooler"], { teacherDir: DEFAULT_TEACHER_DIR });
console.log(
  `embedding ${resources.embeddingSource}; mlm ${resources.mlmDir ?? resources.mlmSkipped}`,
);
const embedding = resources.embedding;
let mlmMs = 0;
if (resources.mlm) {
  const m = resources.mlm;
  const w = m.wordLogProbs.bind(m);
  m.wordLogProbs = async (r) => {
    const t = performance.now();
    try {
      return await w(r);
    } finally {
      mlmMs += performance.now() - t;
    }
  };
}
const recipeOpts = {
  embedding,
  mlm: resources.mlm,
  queryBudget: 500,
  columnLabels: columnLabelsOf("sst2"),
  seed: 0,
};
const out: Record<string, unknown>[] = [];
for (const name of ["tinybert", "teacher"] as ModelName[]) {
  const l = await load(name);
  const ex = exportOnnx(l);
  const opts = { dataset: "sst2", queryBudget: 500, maxLength: maxLengthOf(l.model), resources };
  await attackModel(l.model, [dev[n]], "textfooler", { ...opts, onExample: () => {} });
  (resources.mlm as { clearCache?(): void } | undefined)?.clearCache?.();
  mlmMs = 0;
  const tq = performance.now();
  const out0 = await attackModel(l.model, examples, "textfooler", {
    ...opts,
    keepResults: true,
    onExample: () => {},
  });
  const tfjs = {
    seconds: (performance.now() - tq) / 1000,
    goalQueries: out0.results!.reduce((a, r) => a + r.numQueries, 0),
    victimRows: out0.victimQueries,
    results: out0.results!,
  };
  const w = wilson(out0.metrics.failed, out0.metrics.total);
  console.log(
    `${name} tfjs accuracy under attack ${(100 * w.estimate).toFixed(1)}% ` +
      `(n ${out0.metrics.total}, 95% CI [${(100 * w.lower).toFixed(1)}, ${
        (100 * w.upper).toFixed(1)
      }])`,
  );
  const line = (rt: string, s: number, q: number, rows: number, diff: number | string) => {
    const mlmS = mlmMs / 1000;
    const o = {
      model: name,
      runtime: rt,
      n,
      seconds: s,
      sPerExample: s / n,
      goalQueries: q,
      rows,
      differ: diff,
      mlmSeconds: mlmS,
    };
    out.push(o);
    console.log(
      `${name.padEnd(8)} ${rt.padEnd(10)} ${(s / n).toFixed(3)} s/example  ${q} queries  ` +
        `${rows} rows  differing vs tfjs: ${diff}  masked-LM fluency ${
          (mlmS / n).toFixed(3)
        } s/example`,
    );
  };
  line("tfjs-wasm", tfjs.seconds, tfjs.goalQueries, tfjs.victimRows, "-");
  for (const threads of [1, 2]) {
    const { session } = await createSession(ex.bytes, threads);
    const victim = ortVictim(l, session);
    const attack = buildRecipe("textfooler", { victim, ...recipeOpts });
    await runAttack(attack, [dev[n]]);
    victim.clearCache();
    (resources.mlm as { clearCache?(): void } | undefined)?.clearCache?.();
    const r0 = victim.queries;
    mlmMs = 0;
    const t0 = performance.now();
    const { results } = await runAttack(
      attack,
      examples.map((e) => ({ text: e.text, label: e.label })),
    );
    const s = (performance.now() - t0) / 1000;
    const diff = results.filter((r, i) => key(r) !== key(tfjs.results[i])).length;
    line(
      `ort-t${threads}`,
      s,
      results.reduce((a, r) => a + r.numQueries, 0),
      victim.queries - r0,
      diff,
    );
    await session.release();
  }
  l.model.dispose();
}
console.log(`loadavg ${Deno.loadavg().join(" ")}`);
Deno.mkdirSync(RESULTS_DIR, { recursive: true });
Deno.writeTextFileSync(`${RESULTS_DIR}/attack.json`, JSON.stringify({ backend, out }, null, 2));
