/**
 * Integration test of `deno task kd-baselines --quick`: a tiny random BERT teacher is saved
 * under .cache/, the task runs as a subprocess with exactly the task's permissions (from
 * deno.json), and the table, the compression ratios (from real parameter counts) and the
 * recorded runs are checked. Everything it writes lives in one .cache/ folder, removed after.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/mod.ts";
import { createBertClassifier, loadCheckpoint, saveCheckpoint } from "../../lib/models/mod.ts";
import { readRun } from "../../lib/track/mod.ts";
import { CACHE_ROOT, PROJECT_ROOT } from "../_shared/project.ts";
import { DENO } from "../../test/deno_command.ts";
import { BASELINES } from "../../lib/distill/mod.ts";
import type { Table } from "./table.ts";

function taskCommand(): string[] {
  const deno = JSON.parse(Deno.readTextFileSync(`${PROJECT_ROOT}deno.json`));
  const task: string = deno.tasks["kd-baselines"];
  assert.ok(task, "deno.json has no kd-baselines task");
  return task.split(/\s+/).slice(1); // drop "deno"
}

Deno.test({
  name: "kd-baselines --quick: table rows, real compression ratios, runs recorded",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await initBackend();
    const tensorsBefore = tf.memory().numTensors;
    const work = `${CACHE_ROOT}/kd_baselines_test-${Deno.pid}`;
    const teacherDir = `${work}/teacher`;
    try {
      const teacher = createBertClassifier({
        vocab_size: 30522,
        hidden_size: 32,
        num_hidden_layers: 4,
        num_attention_heads: 2,
        intermediate_size: 64,
        max_position_embeddings: 128,
      }, { seed: 7 });
      const teacherParams = teacher.countParams();
      await saveCheckpoint(teacher, teacherDir, { dtype: "F16", manifest: { command: "test" } });
      teacher.dispose();

      const args = [
        ...taskCommand(),
        "--quick",
        "--teacher",
        teacherDir,
        "--results",
        `${work}/results`,
        "--runs-root",
        `${work}/runs`,
        "--cache-root",
        `${work}/cache`,
      ];
      const t0 = performance.now();
      const out = await new Deno.Command(DENO, {
        args,
        cwd: PROJECT_ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const seconds = (performance.now() - t0) / 1000;
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `kd-baselines --quick failed:\n${text}`);
      assert.ok(seconds < 120, `--quick took ${seconds.toFixed(1)} s (limit 120 s)`);

      const table: Table = JSON.parse(await Deno.readTextFile(`${work}/results/table.json`));
      const md = await Deno.readTextFile(`${work}/results/table.md`);
      assert.deepEqual(table.rows.map((r) => r.name), BASELINES.map((b) => b.name));
      assert.match(md, /Budget: quick/);
      for (const row of table.rows) {
        assert.ok(md.includes(`| ${row.name} |`), `table.md lacks ${row.name}`);
        assert.ok(row.devAccuracy >= 0 && row.devAccuracy <= 1, `${row.name} dev accuracy`);
        assert.equal(row.steps, 3, `${row.name} steps`);
        assert.match(row.command, new RegExp(`^deno task kd-baselines --only ${row.name} --quick`));
        // The saved student's real parameter count gives the recorded ratio.
        if (!row.checkpoint.startsWith("not saved")) {
          const { model } = await loadCheckpoint(`${PROJECT_ROOT}${row.checkpoint}`);
          assert.equal(model.countParams(), row.params, `${row.name} params`);
          model.dispose();
        }
        assert.ok(
          Math.abs(row.compression - teacherParams / row.params) < 1e-9,
          `${row.name}: ratio ${row.compression} vs ${teacherParams}/${row.params}`,
        );
        // Its run was recorded, finished, with the dev accuracy of the table.
        const run = readRun(`${PROJECT_ROOT}${row.run}`);
        assert.equal(run.info.status, "finished", `${row.name} run status`);
        assert.equal(run.info.experiment, "kd_baselines");
        const dev = run.metrics.find((m) => m.name === "accuracy" && m.context.split === "dev");
        assert.equal(dev?.value, row.devAccuracy, `${row.name} dev accuracy recorded`);
        assert.ok(run.metrics.some((m) => m.name === "train_loss"), `${row.name} loss curve`);
      }
      // Real parameter counts of fresh students agree with the table (BERT and BiLSTM alike).
      const loaded = await loadCheckpoint(teacherDir);
      for (const b of BASELINES) {
        const s = b.createStudent(loaded.model as never, { seed: 0 });
        assert.equal(s.countParams(), table.rows.find((r) => r.name === b.name)!.params, b.name);
        s.dispose();
      }
      loaded.model.dispose();
      assert.equal(tf.memory().numTensors, tensorsBefore);

      // --kd: the perturbation term is trained (a loss part of its own), recorded, and the
      // table goes to its own folder; an unknown mode is refused with the allowed ones
      const robust = await new Deno.Command(DENO, {
        args: [
          ...args.filter((a) => a !== `${work}/results`),
          "--kd",
          "random-token",
          "--only",
          "pkd",
        ].map((a) => (a === "--results" ? "--results=" + `${work}/results/kd` : a)),
        cwd: PROJECT_ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const rtext = new TextDecoder().decode(robust.stdout) +
        new TextDecoder().decode(robust.stderr);
      assert.equal(robust.code, 0, rtext);
      const rtable: Table = JSON.parse(await Deno.readTextFile(`${work}/results/kd/table.json`));
      assert.deepEqual(rtable.rows.map((r) => r.name), ["pkd"]);
      const rrun = readRun(`${PROJECT_ROOT}${rtable.rows[0].run}`);
      assert.equal(rrun.info.params.kd, "random-token");
      assert.ok(
        rrun.metrics.some((m) => m.name === "loss_part" && m.context.part === "adversarial"),
        "no adversarial loss part recorded",
      );
      assert.match(
        await Deno.readTextFile(`${work}/results/kd/table.md`),
        /robust KD random-token/,
      );
      const bad = await new Deno.Command(DENO, {
        args: [...taskCommand(), "--kd", "freelb"],
        cwd: PROJECT_ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.notEqual(bad.code, 0);
      assert.match(new TextDecoder().decode(bad.stderr), /--kd: unknown KD mode "freelb"/);
    } finally {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
