import assert from "node:assert/strict";
import { createRun } from "../track/mod.ts";
import type { PreparedTeacher } from "./teacher.ts";
import { pinTeacherTiming } from "./teacher_timing.ts";

const prep = (latencyMs: number, sha256 = "a".repeat(64)): PreparedTeacher => ({
  info: {
    dir: "t",
    params: 10,
    latencyMs,
    latencies: { b1: { batchSize: 1, medianMs: latencyMs / 10, minMs: 0, maxMs: 1 } },
    sha256,
    manifestMetrics: {},
  },
  caches: {} as PreparedTeacher["caches"],
  seconds: 0,
});

Deno.test("teacher timing: a resumed invocation reuses the first timing", async () => {
  const root = await Deno.makeTempDir({ prefix: "pin_" });
  try {
    const run = await createRun("pin_test", { params: {}, seed: 1, root });
    const first = pinTeacherTiming(run, prep(30));
    assert.equal(first.pinned, false);
    const again = pinTeacherTiming(run, prep(42));
    assert.equal(again.pinned, true);
    assert.equal(again.info.latencyMs, 30);
    assert.equal(again.info.latencies!.b1.medianMs, 3);
    // another teacher: measured anew and written
    const other = pinTeacherTiming(run, prep(50, "b".repeat(64)));
    assert.equal(other.pinned, false);
    assert.equal(other.info.latencyMs, 50);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
