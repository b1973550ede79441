import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import {
  buildStudent,
  createSearchSpace,
  sampleGenome,
  syntheticBatch,
} from "../../lib/search_space/mod.ts";
import { isSearchedStudentDir, loadSearchedStudent, saveSearchedStudent } from "./student_io.ts";
import { MAX_POSITIONS, VOCAB_SIZE } from "./evaluate_candidate.ts";

Deno.test("searched student: save, load, same logits; wrong shapes are refused", async () => {
  await initBackend();
  const dir = await Deno.makeTempDir({ prefix: "rosearch_student_" });
  try {
    const genome = sampleGenome(createSearchSpace({ maxCells: 2 }), Prng.fromSeed(8));
    const a = buildStudent(genome, { vocabSize: VOCAB_SIZE, maxPositions: MAX_POSITIONS, seed: 3 });
    await saveSearchedStudent(a, `${dir}/s`, { note: 1 });
    assert.ok(isSearchedStudentDir(`${dir}/s`));
    assert.ok(!isSearchedStudentDir(dir));
    const before = tf.memory().numTensors;
    const b = await loadSearchedStudent(`${dir}/s`);
    const batch = syntheticBatch(2, 7, 500);
    const la = a.forward(batch).logits, lb = b.forward(batch).logits;
    assert.deepEqual(Array.from(la.dataSync()), Array.from(lb.dataSync()));
    tf.dispose([la, lb]);
    b.dispose();
    assert.equal(tf.memory().numTensors, before);
    // a different genome in genome.json no longer matches the stored tensors
    const meta = JSON.parse(await Deno.readTextFile(`${dir}/s/genome.json`));
    meta.genome.hiddenSize = meta.genome.hiddenSize === 64 ? 128 : 64;
    await Deno.writeTextFile(`${dir}/s/genome.json`, JSON.stringify(meta));
    await assert.rejects(() => loadSearchedStudent(`${dir}/s`), /has shape|has no tensor/);
    assert.equal(tf.memory().numTensors, before);
    a.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
