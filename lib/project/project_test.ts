import assert from "node:assert/strict";
import {
  DEFAULT_MLM_DIR,
  DEFAULT_TEACHER_DIR,
  defaultTeacherDir,
  hasMlm,
  heldOutOf,
  mlmDirOf,
  PROJECT_ROOT,
  relativeToProject,
  tokenizerId,
} from "./mod.ts";

Deno.test("lib/project: the default teacher, its MLM and the paths resolve inside the repo", () => {
  assert.equal(DEFAULT_TEACHER_DIR, defaultTeacherDir("sst2"));
  assert.ok(DEFAULT_TEACHER_DIR.startsWith(PROJECT_ROOT));
  assert.equal(relativeToProject(DEFAULT_MLM_DIR), "data/teachers/sst2_bert_l4_h256/mlm");
  assert.equal(relativeToProject("/elsewhere/x"), "/elsewhere/x");
  assert.equal(mlmDirOf(DEFAULT_TEACHER_DIR), DEFAULT_MLM_DIR);
  assert.equal(hasMlm(DEFAULT_TEACHER_DIR), true);
  assert.equal(hasMlm(defaultTeacherDir("mrpc")), false);
});

Deno.test("lib/project: one held-out split per data set, one tokenizer id spelling", () => {
  assert.deepEqual(heldOutOf("sst2"), { size: 2000, seed: 13 });
  assert.deepEqual(heldOutOf("mrpc"), { size: 400, seed: 13 });
  const id = tokenizerId();
  assert.match(id, /^vocab-sha256:[0-9a-f]{64}$/);
  assert.equal(tokenizerId(), id);
});
