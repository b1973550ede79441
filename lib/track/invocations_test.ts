import assert from "node:assert/strict";
import { invocationTimes, resumeNote } from "./invocations.ts";

const history = [
  { event: "created", time: "2026-11-22T05:09:32.000Z" },
  { event: "status", time: "2026-11-22T05:10:00.000Z" },
  { event: "finished", time: "2026-11-22T05:22:11.000Z" },
  { event: "resumed", time: "2026-11-22T05:39:03.000Z" },
  { event: "finished", time: "2026-11-22T05:46:13.000Z" },
  { event: "resumed", time: "2026-11-22T10:24:59.000Z" },
];

Deno.test(
  "invocationTimes: one wall time per invocation, " +
    "status events skipped, the running one given",
  () => {
    assert.equal(
      invocationTimes(history, 99.4),
      "12 min 39 s, 7 min 10 s, 1 min 39 s (this one: search + final stage)",
    );
    assert.equal(invocationTimes(history.slice(0, 3), 0), "12 min 39 s");
  },
);

Deno.test("resumeNote: every resume time, or nothing for a run never resumed", () => {
  assert.equal(
    resumeNote(history, "runs/r"),
    ", continued with `deno task rosearch --resume runs/r` at 2026-11-22 05:39, " +
      "2026-11-22 10:24 UTC",
  );
  assert.equal(resumeNote(history.slice(0, 3), "runs/r"), "");
});
