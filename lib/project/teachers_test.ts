import assert from "node:assert/strict";
import { CACHE_ROOT, hasMlm, mlmDirOf, PROJECT_ROOT } from "./mod.ts";

Deno.test("mlmDirOf: ../mlm first, else the manifest's initialisedFrom, else none", async () => {
  await Deno.mkdir(CACHE_ROOT, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: CACHE_ROOT, prefix: "mlm_dir_test_" });
  const manifest = async (dir: string, body: unknown = {}) => {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(body));
  };
  try {
    // a teacher with its MLM next to it
    await manifest(`${tmp}/a/classifier`);
    await manifest(`${tmp}/a/mlm`);
    assert.equal(mlmDirOf(`${tmp}/a/classifier`), `${tmp}/a/mlm`);
    assert.ok(hasMlm(`${tmp}/a/classifier`));
    // a teacher fine-tuned --from-mlm another folder (project-relative path in its manifest)
    const rel = `${tmp}/a/mlm`.replace(PROJECT_ROOT, "");
    await manifest(`${tmp}/b/classifier`, { metrics: { initialisedFrom: rel } });
    assert.equal(mlmDirOf(`${tmp}/b/classifier`), `${tmp}/a/mlm`);
    assert.ok(hasMlm(`${tmp}/b/classifier`));
    // named MLM missing, or no MLM at all: bae unavailable
    await manifest(`${tmp}/c/classifier`, { metrics: { initialisedFrom: "nowhere/mlm" } });
    assert.ok(!hasMlm(`${tmp}/c/classifier`));
    await manifest(`${tmp}/d/classifier`);
    assert.equal(mlmDirOf(`${tmp}/d/classifier`), `${tmp}/d/mlm`);
    assert.ok(!hasMlm(`${tmp}/d/classifier`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
