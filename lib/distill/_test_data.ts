/**
 * Test fixtures: real SST-2 sentences (data/sst2/dev.tsv) turned into EncodedBatch with a
 * hashed word vocabulary (id 0 = padding, 1 = [CLS], words hash into 2..vocabSize-1), right
 * padded, and the tfjs backend set up the way the project does it.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch, Example } from "../data/mod.ts";

const root = new URL("../../", import.meta.url);

export function loadSst2Dev(limit: number): Example[] {
  let path = new URL("data/sst2/dev.tsv", root);
  try {
    Deno.statSync(path);
  } catch {
    path = new URL("file:///work/shared/data/sst2/dev.tsv");
  }
  const lines = Deno.readTextFileSync(path).split("\n").slice(1).filter((l) => l.trim() !== "");
  return lines.slice(0, limit).map((line, i) => {
    const [text, label] = line.split("\t");
    return { text: text.trim(), label: Number(label), source: `data/sst2/dev.tsv:${i + 2}` };
  });
}

function hashWord(w: string, vocabSize: number): number {
  let h = 2166136261;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619) >>> 0;
  return 2 + (h % (vocabSize - 2));
}

/** Batches in index order, each padded to its own longest example (at most maxLength). */
export function encodeBatches(
  examples: Example[],
  options: { batchSize: number; vocabSize: number; maxLength: number },
): EncodedBatch[] {
  const out: EncodedBatch[] = [];
  for (let start = 0; start < examples.length; start += options.batchSize) {
    const indices = [...Array(Math.min(options.batchSize, examples.length - start)).keys()].map((
      i,
    ) => start + i);
    const rows = indices.map((i) =>
      [
        1,
        ...examples[i].text.split(/\s+/).filter(Boolean).map((w) => hashWord(w, options.vocabSize)),
      ]
        .slice(0, options.maxLength)
    );
    const seqLen = Math.max(...rows.map((r) => r.length));
    const b = indices.length;
    const inputIds = new Int32Array(b * seqLen), attentionMask = new Int32Array(b * seqLen);
    rows.forEach((r, i) =>
      r.forEach((id, j) => {
        inputIds[i * seqLen + j] = id;
        attentionMask[i * seqLen + j] = 1;
      })
    );
    out.push({
      batchSize: b,
      seqLen,
      inputIds,
      tokenTypeIds: new Int32Array(b * seqLen),
      attentionMask,
      labels: Int32Array.from(indices.map((i) => examples[i].label)),
      indices,
    });
  }
  return out;
}

let ready: Promise<void> | null = null;

/** lib/backend's initBackend when it exists (wasm + gradient fixes), else plain wasm. */
export function setupBackend(): Promise<void> {
  ready ??= (async () => {
    const backendPath = new URL("../backend/mod.ts", import.meta.url).href;
    let exists = false;
    try {
      Deno.statSync(new URL(backendPath));
      exists = true;
    } catch { /* not written yet */ }
    if (exists) {
      const mod = await import(backendPath);
      if (typeof mod.initBackend === "function") {
        await mod.initBackend();
        return;
      }
    }
    await import("@tensorflow/tfjs-backend-wasm");
    await tf.setBackend("wasm");
    await tf.ready();
  })();
  return ready;
}
