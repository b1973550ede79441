/**
 * Integration tests of `deno task attack`: the command runs as a subprocess with the task's
 * exact permissions (`deno` by name, see test/deno_command.ts) against a tiny random BERT saved
 * as a checkpoint under .cache/ (the task can read only the project folder); then an attack is
 * killed (SIGKILL) mid-way and resumed.
 */
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/mod.ts";
import { loadSplit } from "../../lib/data/mod.ts";
import { createBert, saveCheckpoint } from "../../lib/models/mod.ts";
import { attackMetrics, type AttackRecord, formatPy2 } from "../../lib/robustness/mod.ts";
import { readRun } from "../../lib/track/mod.ts";
import { CACHE_ROOT, PROJECT_ROOT } from "../_shared/project.ts";
import { DENO } from "../../test/deno_command.ts";

await initBackend({ prefer: "wasm" });

/** The permissions of the `attack` task in deno.json. */
const TASK_FLAGS = [
  "run",
  "--allow-read=.",
  "--allow-env=ROSEARCH_BACKEND,ROSEARCH_BUDGET",
  "--allow-write=runs,.cache",
  "experiments/attack/main.ts",
];

async function tinyCheckpoint(
  dir: string,
  size: { hidden: number; layers: number },
): Promise<string> {
  const model = createBert({
    vocab_size: 30522,
    hidden_size: size.hidden,
    num_hidden_layers: size.layers,
    num_attention_heads: 2,
    intermediate_size: 2 * size.hidden,
    max_position_embeddings: 128,
    num_labels: 2,
  }, { seed: 5 });
  await saveCheckpoint(model, `${dir}/classifier`, { manifest: { command: "attack main_test" } });
  model.dispose();
  return `${dir}/classifier`;
}

function attackCommand(args: string[]): Deno.Command {
  return new Deno.Command(DENO, {
    args: [...TASK_FLAGS, ...args, "--no-progress"],
    cwd: PROJECT_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
}

const onlyRunDir = (root: string) => {
  const ids = [...Deno.readDirSync(`${root}/attack`)].map((e) => e.name);
  assert.equal(ids.length, 1, `one run folder expected, got ${ids.join(", ")}`);
  return `${root}/attack/${ids[0]}`;
};

Deno.test(
  "deno task attack: deepwordbug on 6 SST-2 dev examples, " +
    "records, metrics, summary",
  async () => {
    await Deno.mkdir(CACHE_ROOT, { recursive: true });
    const tmp = await Deno.makeTempDir({ dir: CACHE_ROOT, prefix: "attack_test_" });
    try {
      const ckpt = await tinyCheckpoint(tmp, { hidden: 16, layers: 1 });
      const out = await attackCommand([
        "--recipe",
        "deepwordbug",
        "--n",
        "6",
        "--model",
        ckpt,
        "--teacher",
        ckpt,
        "--runs-root",
        `${tmp}/runs`,
      ]).output();
      const stdout = new TextDecoder().decode(out.stdout),
        stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `attack failed:\n${stdout}\n${stderr}`);
      assert.match(stdout, /\| Attack Results\s+\|/);
      assert.match(stdout, /\| Number of successful attacks: \| \d+/);

      const dir = onlyRunDir(`${tmp}/runs`);
      const data = readRun(dir);
      assert.deepEqual(data.problems, []);
      assert.equal(data.info.status, "finished");
      const records = data
        .records as unknown as (AttackRecord & { recipe: string; seconds: number })[];
      assert.deepEqual(
        records.map((r) => r.key),
        [0, 1, 2, 3, 4, 5].map((i) => `deepwordbug/${i}`),
      );
      const dev = await loadSplit("sst2", "dev");
      records.forEach((r, i) => {
        assert.equal(r.originalText, dev[i].text, "the first n dev examples, in order");
        assert.equal(r.groundTruth, dev[i].label);
        assert.equal(r.recipe, "deepwordbug");
        assert.ok(r.seconds >= 0);
      });

      const summary = JSON.parse(await Deno.readTextFile(`${dir}/artifacts/summary.json`));
      const m = attackMetrics(records);
      const s = summary.recipes.deepwordbug.metrics;
      assert.equal(s.total, 6);
      assert.equal(s.succeeded + s.failed + s.skipped, 6);
      assert.equal(s.succeeded, m.succeeded);
      assert.equal(s.skipped, m.skipped);
      assert.equal(s.originalAccuracy, m.originalAccuracy);
      assert.equal(summary.split, "dev");
      assert.match(summary.examples, /first 6 examples/);
      const pct = (x: number) => formatPy2(x).replace(".", "\\.");
      assert.match(stdout, new RegExp(`\\| Original accuracy:\\s+\\| ${pct(m.originalAccuracy)}%`));
      assert.match(
        stdout,
        new RegExp(`\\| Accuracy under attack:\\s+\\| ${pct(m.accuracyUnderAttack)}%`),
      );

      const logged = data.metrics.filter((x) =>
        x.context.attack === "deepwordbug" && x.context.split === "dev"
      );
      const byName = new Map(logged.map((x) => [x.name, x.value]));
      assert.equal(byName.get("original_accuracy"), m.originalAccuracy);
      assert.equal(byName.get("accuracy_under_attack"), m.accuracyUnderAttack);
      assert.equal(byName.get("attack_success_rate"), m.attackSuccessRate);
      assert.ok(byName.has("avg_num_queries") && byName.has("attack_seconds"));
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

Deno.test(
  "deno task attack: killed with SIGKILL mid-way, " +
    "--resume completes without loss or repeats",
  async () => {
    await Deno.mkdir(CACHE_ROOT, { recursive: true });
    const tmp = await Deno.makeTempDir({ dir: CACHE_ROOT, prefix: "attack_test_" });
    try {
      const ckpt = await tinyCheckpoint(tmp, { hidden: 32, layers: 2 });
      const n = 40;
      const args = [
        "--recipe",
        "pwws",
        "--n",
        String(n),
        "--model",
        ckpt,
        "--runs-root",
        `${tmp}/runs`,
      ];
      const child = attackCommand(args).spawn();
      let before: string[] = [];
      const deadline = Date.now() + 40_000;
      let exited = false;
      child.status.then(() => (exited = true));
      while (Date.now() < deadline && !exited) {
        await new Promise((r) => setTimeout(r, 10));
        let dirs: string[] = [];
        try {
          dirs = [...Deno.readDirSync(`${tmp}/runs/attack`)].map((e) => e.name);
        } catch { /* not created yet */ }
        if (dirs.length === 0) continue;
        let text = "";
        try {
          text = Deno.readTextFileSync(`${tmp}/runs/attack/${dirs[0]}/records.jsonl`);
        } catch { /* no record yet */ }
        if (text.split("\n").filter(Boolean).length >= 3) {
          child.kill("SIGKILL");
          break;
        }
      }
      const status = await child.status;
      await child.stdout.cancel();
      await child.stderr.cancel();
      assert.equal(status.signal, "SIGKILL", "the attack should still be running when killed");
      const dir = onlyRunDir(`${tmp}/runs`);
      const killed = readRun(dir);
      before = killed.records.map((r) => r.key as string);
      assert.ok(
        before.length >= 3 && before.length < n,
        `killed after ${before.length} of ${n} records`,
      );
      assert.equal(killed.info.status, "running");

      const out = await attackCommand(["--resume", dir]).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(
        out.code,
        0,
        `resume failed:\n${stdout}\n${new TextDecoder().decode(out.stderr)}`,
      );
      assert.match(stdout, /resuming run/);
      assert.match(
        stdout,
        new RegExp(`pwws: resuming, ${before.length}/${n} examples already recorded`),
      );
      const data = readRun(dir);
      assert.deepEqual(data.problems, []);
      assert.equal(data.info.status, "finished");
      const keys = data.records.map((r) => r.key as string);
      assert.equal(new Set(keys).size, keys.length, "no duplicate keys");
      assert.deepEqual([...keys].sort(), Array.from({ length: n }, (_, i) => `pwws/${i}`).sort());
      assert.deepEqual(
        keys.slice(0, before.length),
        before,
        "records written before the kill are kept",
      );
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/artifacts/summary.json`));
      assert.equal(summary.recipes.pwws.metrics.total, n);
      assert.ok(data.info.history.some((h) => h.event === "resumed"));
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);
