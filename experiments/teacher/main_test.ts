/**
 * `deno task teacher --quick` end to end (a few MLM and fine-tuning steps on real data) into a
 * temporary folder: both checkpoints load back with their sha256s verified, and the classifier's
 * manifest records the dev accuracy it measured and the command that produced it.
 */
import assert from "node:assert/strict";
import { DENO } from "../../test/deno_command.ts";
import * as tf from "@tensorflow/tfjs";
import { loadCheckpoint } from "../../lib/models/mod.ts";

Deno.test({
  name:
    "teacher --quick writes MLM and classifier checkpoints whose manifests record metrics and " +
    "command",
  sanitizeResources: false,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "teacher_quick_" });
    try {
      const main = new URL("./main.ts", import.meta.url).pathname;
      const r = await teacher(main, ["--quick", "--stage", "both", "--out", out]);
      const text = r.text;
      assert.ok(r.success, text);
      const printed = Number(/sst2 dev accuracy: ([\d.]+)%/.exec(text)?.[1]);
      const { model, manifest } = await loadCheckpoint(`${out}/classifier`);
      model.dispose();
      const m = manifest.metrics as Record<string, number>;
      assert.equal(Math.round(10000 * m.sst2DevAccuracy) / 100, printed);
      assert.match(manifest.command, /--quick/);
      assert.deepEqual(Object.keys(manifest.files).sort(), [
        "config.json",
        "model.safetensors",
        "vocab.txt",
      ]);
      const mlm = await loadCheckpoint(`${out}/mlm`);
      assert.equal(mlm.manifest.kind, "bert");
      mlm.model.dispose();

      // --from-mlm: fine-tune a second classifier from the MLM just written
      const fromMlm = (dest: string, extra: string[] = []) =>
        teacher(main, [
          "--quick",
          "--stage",
          "classifier",
          ...extra,
          "--from-mlm",
          `${out}/mlm`,
          "--out",
          `${out}/${dest}`,
        ]);
      const second = await fromMlm("b", ["--pooling", "mean"]);
      assert.ok(second.success, second.text);
      assert.match(second.text, /classifier initialised from the MLM .*: 69\/73 tensors copied/);
      const b = await loadCheckpoint(`${out}/b/classifier`);
      const m2 = await loadCheckpoint(`${out}/mlm`);
      try {
        // the encoder really starts from the MLM: a few quick steps move it by far less than
        // the 0.02-scale gap between two random initialisations
        const name = "bert.encoder.layer.0.attention.self.query.weight";
        const gap = tf.tidy(() =>
          tf.max(tf.abs(tf.sub(b.model.params.get(name)!, m2.model.params.get(name)!)))
            .dataSync()[0]
        );
        assert.ok(gap < 0.005, `${name} differs from the MLM's by ${gap}`);
      } finally {
        b.model.dispose();
        m2.model.dispose();
      }
      assert.match(String(b.manifest.metrics.initialisedFrom), /mlm$/);
      assert.equal((b.manifest.config as { pooling?: string }).pooling, "mean");
      assert.match(b.manifest.description as string, /MLM-pretrained/);
      const badPooling = await fromMlm("d", ["--pooling", "max"]);
      assert.ok(!badPooling.success);
      assert.match(badPooling.text, /--pooling must be cls or mean, got "max"/);
      // a masked LM of another shape is refused with the field named
      const wrong = await fromMlm("c", ["--hidden", "128", "--heads", "2"]);
      assert.ok(!wrong.success);
      assert.match(
        wrong.text,
        /--from-mlm .*config\.json has hidden_size 256, the teacher asks for 128/,
      );
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

async function teacher(main: string, args: string[]) {
  const r = await new Deno.Command(DENO, {
    args: [
      "run",
      "--allow-read=.,/tmp",
      "--allow-write=runs,/tmp",
      "--allow-env=ROSEARCH_BACKEND",
      main,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  return { success: r.success, text };
}
