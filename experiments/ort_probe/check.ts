/**
 * Step 3: exports both models to ONNX and compares onnxruntime-node's logits with the project's
 * tfjs forward (`model.forward(batch, { training: false }).logits`) on the first 256 SST-2 dev
 * sentences in batches of 64 (each padded to its longest, as rawBatchThroughput does).
 * Writes results/check.json.
 *
 *   cd experiments/ort_probe && deno task check-export
 */
import {
  createSession,
  devTexts,
  exportOnnx,
  load,
  makeBatch,
  type ModelName,
  ortLogits,
  RESULTS_DIR,
  setupBackend,
  tf,
  tfjsLogits,
} from "./common.ts";

const N = 256, B = 64;
const backend = await setupBackend();
console.log("backend", JSON.stringify(backend));
const texts = (await devTexts()).slice(0, N);
const results: Record<string, unknown> = { backend };

for (const name of ["teacher", "tinybert"] as ModelName[]) {
  const l = await load(name);
  const labels = l.config.num_labels;
  const ex = exportOnnx(l);
  const size = Deno.statSync(ex.path).size;
  console.log(
    `${name}: exported ${ex.path} ${(size / 1e6).toFixed(2)} MB in ${ex.ms.toFixed(0)} ms`,
  );
  const variants: [string, number, "all" | "disabled"][] = [
    ["ort-t1-all", 1, "all"],
    ["ort-t2-all", 2, "all"],
    ["ort-t1-disabled", 1, "disabled"],
  ];
  const sessions = [];
  for (const [label, threads, level] of variants) {
    const { session, ms } = await createSession(ex.bytes, threads, level);
    console.log(`  session ${label}: created in ${ms.toFixed(0)} ms`);
    sessions.push({ label, session, createMs: ms });
  }
  const stats = sessions.map((s) => ({
    label: s.label,
    createMs: s.createMs,
    maxAbs: 0,
    maxRel: 0,
    argmaxDisagree: 0,
    maxProbAbs: 0,
  }));
  let tfjsVsLabelCorrect = 0, minMargin = Infinity, rows = 0;
  const seqLens: number[] = [];
  const dev = (await import("../../lib/data/mod.ts")).loadSplit;
  const labelsDev = (await dev("sst2", "dev")).slice(0, N).map((e) => e.label);
  for (let start = 0; start < N; start += B) {
    const batch = makeBatch(l.model, l.tokenizer, texts.slice(start, start + B));
    seqLens.push(batch.seqLen);
    const ref = tfjsLogits(l.model, batch);
    for (let r = 0; r < batch.batchSize; r++) {
      const row = ref.subarray(r * labels, (r + 1) * labels);
      const am = argmax(row);
      if (am === labelsDev[start + r]) tfjsVsLabelCorrect++;
      const sorted = [...row].sort((a, b) => b - a);
      if (labels > 1) minMargin = Math.min(minMargin, sorted[0] - sorted[1]);
      rows++;
    }
    for (let k = 0; k < sessions.length; k++) {
      const got = await ortLogits(sessions[k].session, batch);
      const st = stats[k];
      for (let i = 0; i < ref.length; i++) {
        const d = Math.abs(got[i] - ref[i]);
        st.maxAbs = Math.max(st.maxAbs, d);
        st.maxRel = Math.max(st.maxRel, d / Math.max(Math.abs(ref[i]), 1e-6));
      }
      for (let r = 0; r < batch.batchSize; r++) {
        const a = ref.subarray(r * labels, (r + 1) * labels);
        const b = got.subarray(r * labels, (r + 1) * labels);
        if (argmax(a) !== argmax(b)) st.argmaxDisagree++;
        const pa = softmax(a), pb = softmax(b);
        for (let j = 0; j < labels; j++) {
          st.maxProbAbs = Math.max(st.maxProbAbs, Math.abs(pa[j] - pb[j]));
        }
      }
    }
  }
  console.log(
    `  rows ${rows}, seqLens ${seqLens}, tfjs accuracy on these ${tfjsVsLabelCorrect}/${rows}, ` +
      `smallest tfjs logit margin ${minMargin.toExponential(3)}`,
  );
  for (const st of stats) {
    console.log(
      `  ${st.label}: max |dlogit| ${st.maxAbs.toExponential(3)}, max rel ${
        st.maxRel.toExponential(3)
      }, ` +
        `max |dprob| ${
          st.maxProbAbs.toExponential(3)
        }, argmax disagreements ${st.argmaxDisagree}/${rows}`,
    );
  }
  results[name] = {
    onnxPath: ex.path,
    onnxBytes: size,
    exportMs: ex.ms,
    params: l.model.countParams?.(),
    rows,
    seqLens,
    tfjsAccuracy: tfjsVsLabelCorrect / rows,
    minTfjsMargin: minMargin,
    stats,
  };
  // Extra: batch 8 (rows 256..263) with pseudo-random token types 0/1 on real tokens, to check
  // the token-type path too (the attack code always sends type 0).
  {
    const batch = makeBatch(
      l.model,
      l.tokenizer,
      texts.length >= 8 ? (await devTexts()).slice(256, 264) : texts,
    );
    let seed = 12345;
    for (let i = 0; i < batch.tokenTypeIds.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      batch.tokenTypeIds[i] = batch.attentionMask[i] ? (seed >>> 16) & 1 : 0;
    }
    const ref = tfjsLogits(l.model, batch);
    const got = await ortLogits(sessions[0].session, batch);
    let maxAbs = 0, dis = 0;
    for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i] - ref[i]));
    for (let r = 0; r < batch.batchSize; r++) {
      if (
        argmax(ref.subarray(r * labels, (r + 1) * labels)) !==
          argmax(got.subarray(r * labels, (r + 1) * labels))
      ) dis++;
    }
    console.log(
      `  extra batch 8 with random token types (${sessions[0].label}): max |dlogit| ${
        maxAbs.toExponential(3)
      }, argmax disagreements ${dis}/8`,
    );
    (results as Record<string, unknown>)[`${name}_tokenTypes_b8`] = { maxAbs, argmaxDisagree: dis };
  }
  for (const s of sessions) await s.session.release();
  l.model.dispose?.();
}
console.log("tf memory", JSON.stringify(tf.memory()));
Deno.mkdirSync(RESULTS_DIR, { recursive: true });
Deno.writeTextFileSync(`${RESULTS_DIR}/check.json`, JSON.stringify(results, null, 2));

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}
function softmax(a: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(a));
  const e = Array.from(a, (v) => Math.exp(v - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
}
