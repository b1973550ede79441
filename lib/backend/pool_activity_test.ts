import assert from "node:assert/strict";
import { describeActivity } from "./pool_activity.ts";

Deno.test("describeActivity: running tasks with their progress, and the queue", () => {
  assert.equal(
    describeActivity({
      queued: 3,
      finished: 7,
      running: [
        { kind: "final_train", seconds: 95.2, progress: { done: 120, total: 400, unit: "steps" } },
        { kind: "final_eval", seconds: 30 },
      ],
    }),
    "running: final_train 120/400 steps (1m 35s), final_eval (30s); 3 queued",
  );
  assert.equal(describeActivity({ queued: 0, finished: 0, running: [] }), "no task running");
});
