import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";
import { loadCheckpoint, loadModel } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import { createSearchSpace, sampleGenome } from "./mod.ts";
import { buildStudent, loadSearchedStudent, saveSearchedStudent, syntheticBatch } from "./tfjs.ts";

Deno.test(
  "searched student checkpoint: save, load, same " +
    "logits; tampering and wrong shapes refused",
  async () => {
    await initBackend();
    const dir = await Deno.makeTempDir({ prefix: "rosearch_student_" });
    try {
      const genome = sampleGenome(createSearchSpace({ maxCells: 2 }), Prng.fromSeed(8));
      const a = buildStudent(genome, { vocabSize: 30522, maxPositions: 128, seed: 3 });
      const manifest = await saveSearchedStudent(a, `${dir}/s`, { metrics: { note: 1 } });
      assert.equal(manifest.kind, "searched");
      assert.deepEqual(Object.keys(manifest.files).sort(), ["config.json", "model.safetensors"]);
      const before = tf.memory().numTensors;
      const b = await loadSearchedStudent(`${dir}/s`);
      assert.equal(
        (await loadModel(`${dir}/s`).then((r) => (r.model.dispose(), r))).model.kind,
        "searched",
      );
      const batch = syntheticBatch(2, 7, 500);
      const la = a.forward(batch).logits, lb = b.forward(batch).logits;
      assert.deepEqual(Array.from(la.dataSync()), Array.from(lb.dataSync()));
      tf.dispose([la, lb]);
      b.dispose();
      assert.equal(tf.memory().numTensors, before);
      await assert.rejects(
        () => loadCheckpoint(`${dir}/s`),
        /holds a "searched" model; use loadModel/,
      );
      assert.equal(tf.memory().numTensors, before);

      // an edited config.json no longer matches its sha256 in the manifest
      const config = JSON.parse(await Deno.readTextFile(`${dir}/s/config.json`));
      config.genome.hiddenSize = config.genome.hiddenSize === 64 ? 128 : 64;
      const text = JSON.stringify(config);
      await Deno.writeTextFile(`${dir}/s/config.json`, text);
      await assert.rejects(() => loadSearchedStudent(`${dir}/s`), /config.json changed since/);
      // ... and with the manifest updated too, the stored tensors no longer fit the genome
      const m = JSON.parse(await Deno.readTextFile(`${dir}/s/manifest.json`));
      m.files["config.json"] = createHash("sha256").update(text).digest("hex");
      await Deno.writeTextFile(`${dir}/s/manifest.json`, JSON.stringify(m));
      await assert.rejects(() => loadSearchedStudent(`${dir}/s`), /has shape/);
      assert.equal(tf.memory().numTensors, before);
      a.dispose();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
