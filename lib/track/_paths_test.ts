import assert from "node:assert/strict";
import { join } from "node:path";
import { checkSegment, confinedJoin } from "./_paths.ts";

Deno.test("checkSegment accepts plain names and rejects paths", () => {
  assert.equal(checkSegment("experiment", "rosearch_sst2"), "rosearch_sst2");
  assert.equal(checkSegment("runId", "20251122-035107-123-1"), "20251122-035107-123-1");
  for (const bad of ["..", "../x", "a/b", "a\\b", "/abs", ".hidden", "-flag", "a..b", "", "a b"]) {
    assert.throws(() => checkSegment("experiment", bad), /experiment/, bad);
  }
});

Deno.test("confinedJoin allows sub-folders but never leaves the base", () => {
  assert.equal(confinedJoin("base", "artifact", "ckpt/gen3.bin"), join("base", "ckpt", "gen3.bin"));
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\..\\b", "ok/.git"]) {
    assert.throws(() => confinedJoin("base", "artifact", bad), /artifact name/, bad);
  }
});
