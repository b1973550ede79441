import assert from "node:assert/strict";
import { invocationTimes, repairLines, resumeNote } from "./invocations.ts";

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

Deno.test("repairLines: the last resume's repairs, in words", () => {
  const t = "2026-12-03T10:00:00.000Z";
  assert.deepEqual(
    repairLines([
      { event: "created", time: t },
      {
        event: "resumed",
        time: t,
        repairs: [
          { file: "runs/x/1/records.jsonl", line: 7, action: "dropped", bytes: 40 },
          { file: "runs/x/1/metrics.jsonl", line: 3, action: "completed", bytes: 88 },
        ],
      },
    ]),
    [
      "records.jsonl line 7: a torn last line (40 bytes) dropped; its work is done again",
      "metrics.jsonl line 3: a last line without its newline (88 bytes) completed",
    ],
  );
  assert.deepEqual(repairLines([{ event: "created", time: t }]), []);
});
