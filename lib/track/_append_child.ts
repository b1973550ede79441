/**
 * Child process for kill_test.ts: creates (or resumes) a run and appends records `k0..k<n-1>`
 * that are not done yet, printing each index to stdout after its append returns.
 * Usage: deno run --allow-read --allow-write _append_child.ts <root> <runId> <n> create|resume
 */
import { createRun, resumeRun } from "./mod.ts";

const [root, runId, n, mode] = Deno.args;
const run = mode === "create"
  ? await createRun("kill", { params: { n: Number(n) }, seed: 1, root, runId })
  : await resumeRun({ experiment: "kill", runId, root });
const done = run.completedKeys();
const out = new TextEncoder();
for (let i = 0; i < Number(n); i++) {
  if (done.has(`k${i}`)) continue;
  run.appendRecord({ key: `k${i}`, i, payload: "x".repeat(500) });
  Deno.stdout.writeSync(out.encode(`${i}\n`));
}
run.finish();
