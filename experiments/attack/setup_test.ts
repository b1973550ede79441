import assert from "node:assert/strict";
import { attackMetrics, RECIPE_NAMES } from "../../lib/robustness/mod.ts";
import { CACHE_ROOT } from "../_shared/project.ts";
import { parseAttackConfig, parseRecipes } from "./config.ts";
import { combinedTable } from "./combined_table.ts";
import { columnLabelsOf } from "../../lib/data/mod.ts";
import { attackExamples, attackSplit, resolveModelDir } from "./setup.ts";

Deno.test(
  "resolveModelDir: teacher, checkpoint folder, " +
    "KD baseline name, helpful errors",
  async () => {
    await Deno.mkdir(CACHE_ROOT, { recursive: true });
    const tmp = await Deno.makeTempDir({ dir: CACHE_ROOT, prefix: "attack_setup_test_" });
    try {
      const mk = async (d: string) => {
        await Deno.mkdir(d, { recursive: true });
        await Deno.writeTextFile(`${d}/manifest.json`, "{}");
      };
      await mk(`${tmp}/teacher`);
      await mk(`${tmp}/ckpt`);
      await mk(`${tmp}/kd/pkd/student`);
      await Deno.mkdir(`${tmp}/kd/pkd/logs`);
      await mk(`${tmp}/kd/flat`);
      await mk(`${tmp}/kd/two/a`);
      await mk(`${tmp}/kd/two/b`);
      const o = { teacherDir: `${tmp}/teacher`, kdRoot: `${tmp}/kd` };
      assert.equal(resolveModelDir("teacher", o), `${tmp}/teacher`);
      assert.equal(resolveModelDir(`${tmp}/ckpt`, o), `${tmp}/ckpt`);
      assert.equal(resolveModelDir("pkd", o), `${tmp}/kd/pkd/student`);
      assert.equal(resolveModelDir("flat", o), `${tmp}/kd/flat`);
      assert.throws(() => resolveModelDir("two", o), /several checkpoint folders \(a, b\)/);
      assert.throws(() => resolveModelDir("nope", o), /found: flat, pkd, two/);
      assert.throws(
        () => resolveModelDir("teacher", { ...o, teacherDir: `${tmp}/missing` }),
        /deno task teacher/,
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);

Deno.test("parseRecipes and parseAttackConfig validate names and values", () => {
  assert.deepEqual(parseRecipes("all"), [...RECIPE_NAMES]);
  assert.deepEqual(parseRecipes("pwws, bae,pwws"), ["pwws", "bae"]);
  assert.throws(() => parseRecipes("pwws,textfoolr"), /unknown textfoolr; valid: all, textfooler/);
  const ok = {
    recipes: ["pwws"],
    model: "teacher",
    modelDir: "/x",
    dataset: "sst2",
    n: 3,
    seed: 0,
    queryBudget: null,
    teacherDir: "/t",
    mlmDir: "/m",
    batchSize: 32,
  };
  assert.equal(parseAttackConfig(ok, "here").n, 3);
  assert.throws(
    () => parseAttackConfig({ ...ok, n: 0 }, "run.json"),
    /Invalid attack settings in run.json: n:/,
  );
  assert.throws(() => parseAttackConfig({ ...ok, dataset: "imdb" }, "x"), /dataset/);
  // runs recorded before --embedding existed used the attacked model's own table
  assert.equal(parseAttackConfig(ok, "old run.json").embedding, "own");
  assert.equal(parseAttackConfig({ ...ok, embedding: "teacher" }, "x").embedding, "teacher");
  assert.throws(
    () => parseAttackConfig({ ...ok, embedding: "glove" }, "the command line"),
    /Invalid attack settings in the command line: embedding:/,
  );
});

Deno.test("attackExamples: the first n of dev (else test); columns per data set", async () => {
  assert.equal(attackSplit("sst2"), "dev");
  assert.equal(attackSplit("textfooler/mr"), "test");
  const a = await attackExamples("sst2", 5), b = await attackExamples("sst2", 9);
  assert.equal(a.examples.length, 5);
  assert.deepEqual(b.examples.slice(0, 5), a.examples);
  assert.equal(a.available, 872);
  assert.deepEqual(columnLabelsOf("sst2"), ["text"]);
  assert.deepEqual(columnLabelsOf("mrpc"), ["sentence1", "sentence2"]);
  assert.deepEqual(columnLabelsOf("textfooler/snli"), ["premise", "hypothesis"]);
});

Deno.test("combinedTable: one aligned row per recipe", () => {
  const r = (t: "SUCCEEDED" | "FAILED" | "SKIPPED", changed = 0) => ({
    resultType: t,
    numQueries: 10,
    numWords: 10,
    numWordsChanged: changed,
  });
  const table = combinedTable([
    {
      recipe: "textfooler",
      metrics: attackMetrics([r("SUCCEEDED", 2), r("FAILED"), r("SKIPPED")]),
      seconds: 12.34,
    },
    { recipe: "pwws", metrics: attackMetrics([r("FAILED"), r("FAILED")]), seconds: 125 },
  ]);
  const lines = table.split("\n");
  assert.equal(new Set(lines.map((l) => l.length)).size, 1, "all lines equally wide");
  assert.match(
    lines[3],
    new RegExp(
      "^\\| textfooler \\| 3 \\|\\s+66\\.67 \\|\\s+33\\.33 \\[6\\.1, 79\\.2\\] " +
        "\\|\\s+50\\.0 \\|\\s+20\\.0 \\|\\s+10\\.0 \\|\\s+12\\.3 s \\|$",
    ),
  );
  assert.match(
    lines[4],
    new RegExp(
      "^\\| pwws\\s+\\| 2 \\|\\s+100\\.0 \\|\\s+100\\.0 \\[34\\.2, 100\\.0\\] " +
        "\\|\\s+0\\.0 \\|\\s+nan \\|\\s+10\\.0 \\| 2 min 05 s \\|$",
    ),
  );
});

Deno.test({
  name:
    "attackEmbedding: the teacher's table for every victim by default, the victim's own with `own`",
  sanitizeResources: false,
  async fn() {
    const { initBackend } = await import("../../lib/backend/mod.ts");
    await initBackend(); // (also keeps tfjs's Node.js banner out of the test output)
    const { DEFAULT_TEACHER_DIR, attackEmbedding, loadVictimModel, resolveModelDir } = await import(
      "./setup.ts"
    );
    const victim = await loadVictimModel(
      resolveModelDir("bilstm", { teacherDir: DEFAULT_TEACHER_DIR }),
    );
    try {
      const t = await attackEmbedding(victim, DEFAULT_TEACHER_DIR);
      const o = await attackEmbedding(victim, DEFAULT_TEACHER_DIR, "own");
      assert.match(t.source, /^teacher \(/);
      assert.match(o.source, /^attacked model \(/);
      assert.equal(t.embedding.dim, 256); // the teacher's width
      assert.equal(o.embedding.dim, victim.model.params.get("embedding.weight")!.shape[1]);
      assert.notEqual(t.embedding.dim, o.embedding.dim);
    } finally {
      victim.model.dispose();
    }
  },
});
