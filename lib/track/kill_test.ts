import { DENO } from "../../test/deno_command.ts";
/**
 * A run survives SIGKILL: a child process appends records in a loop, is killed partway, and a
 * resumed run finishes the work with every record present exactly once (including the one whose
 * line was torn by the kill, which is dropped on resume and written again).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readRun, resumeRun } from "./mod.ts";

const CHILD = new URL("./_append_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

Deno.test(
  "records survive a SIGKILL mid-loop and resume neither loses nor repeats any",
  async () => {
    const root = Deno.makeTempDirSync({ prefix: "track_kill_" });
    try {
      const child = new Deno.Command(DENO, {
        args: [
          "run",
          "--config",
          CONFIG,
          "--allow-read",
          "--allow-write",
          CHILD,
          root,
          "r",
          "1000000",
          "create",
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      // Read acknowledgements until 2000 records are confirmed written, then kill.
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      while ((text.match(/\n/g) ?? []).length < 2000) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      child.kill("SIGKILL");
      const status = await child.status;
      await reader.cancel();
      const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
      assert.equal(status.signal, "SIGKILL", `child was not killed; stderr:\n${stderr}`);
      const acked = text.split("\n").slice(0, -1).map(Number);
      assert.ok(acked.length >= 2000, `child acked only ${acked.length}; stderr:\n${stderr}`);

      const dir = join(root, "kill", "r");
      const before = readRun(dir);
      assert.equal(before.info.status, "running");
      const written = before.records.map((r) => r.i as number);
      // Every acknowledged record is on disk; the rest were written but not yet read from the pipe.
      assert.deepEqual(written.slice(0, acked.length), acked);
      assert.deepEqual(written, written.map((_, i) => i));
      assert.ok(written.length < 1000000, "the child finished before it was killed");
      assert.deepEqual(before.problems, []); // Linux completes small appends even on SIGKILL
      // A kill inside a large write can leave part of a line; simulate one to resume through it.
      const next = written.length;
      Deno.writeTextFileSync(join(dir, "records.jsonl"), `{"key":"k${next}","i":${next},"pay`, {
        append: true,
      });

      // Resume and finish a smaller target: the loop skips what is done.
      const target = written.length + 500;
      const run = await resumeRun(dir);
      const done = run.completedKeys();
      assert.equal(done.size, written.length);
      for (let i = 0; i < target; i++) {
        if (!done.has(`k${i}`)) run.appendRecord({ key: `k${i}`, i, payload: "y" });
      }
      run.finish();
      const after = readRun(dir);
      assert.deepEqual(after.problems, []);
      assert.deepEqual(after.records.map((r) => r.i), Array.from({ length: target }, (_, i) => i));
      assert.equal(after.info.history[1].previousStatus, "running");
      assert.deepEqual(after.info.history[1].repairs?.map((r) => [r.line, r.action]), [
        [next + 1, "dropped"],
      ]);
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);
