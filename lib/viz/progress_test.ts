import assert from "node:assert/strict";
import { createProgress, jupyterBroadcast } from "./progress.ts";

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

Deno.test("progress outside Jupyter: no broadcast found, no throw", () => {
  assert.equal(jupyterBroadcast(), undefined);
});

Deno.test("progress in non-TTY mode writes a plain line per 10% and a final line", () => {
  const out: string[] = [];
  const clock = fakeClock();
  const p = createProgress({
    total: 100,
    label: "eval",
    mode: "lines",
    write: (s) => out.push(s),
    now: clock.now,
  });
  for (let i = 1; i <= 100; i++) {
    clock.advance(10);
    p.update(i, { loss: 0.5 });
  }
  p.done();
  p.update(5); // ignored after done
  assert.equal(out.length, 11); // 1, 10, 20, …, 90, then done
  assert.ok(out.every((l) => l.endsWith("\n") && !l.includes("\r") && !l.includes("\x1b")));
  assert.match(out[0], /^eval: 1\/100 \(1%\) {2}0\.0s {2}100\/s {2}eta \d\.\ds {2}loss=0\.5000\n$/);
  assert.match(out[1], /^eval: 10\/100 \(10%\)/);
  assert.match(out.at(-1)!, /^eval: 100\/100 \(100%\) {2}1\.0s {2}100\/s {2}done\n$/);
});

Deno.test("progress heartbeat: a slow phase still writes a line, with its status", async () => {
  const out: string[] = [];
  const p = createProgress({
    total: 4,
    label: "search",
    mode: "lines",
    write: (s) => out.push(s),
    heartbeatMs: 40,
    status: () => "running: candidate 120/400 steps",
  });
  p.update(1);
  await new Promise((r) => setTimeout(r, 200));
  p.done();
  const beats = out.filter((l) => l.includes("running: candidate 120/400 steps"));
  assert.ok(beats.length >= 2, out.join(""));
  assert.match(beats[0], /^search: 1\/4 \(25%\) {2}0\.\ds {2}\S+ {2}eta \S+ {2}running: /);
  const n = out.length;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(out.length, n, "no heartbeat after done()");
});

Deno.test("progress lines mode with unknown total writes by time", () => {
  const out: string[] = [];
  const clock = fakeClock();
  const p = createProgress({
    label: "gen",
    mode: "lines",
    write: (s) => out.push(s),
    now: clock.now,
    lineIntervalMs: 1000,
  });
  for (let i = 1; i <= 50; i++) {
    clock.advance(100);
    p.update(i);
  }
  p.done("best=1.3");
  assert.equal(out.length, 6); // t=100 (first), 1100, 2100, 3100, 4100, then the final line
  assert.match(out.at(-1)!, /best=1\.3 {2}done\n$/);
});

Deno.test("progress tty mode redraws in place, throttled, newline at the end", () => {
  const out: string[] = [];
  const clock = fakeClock();
  const p = createProgress({
    total: 10,
    label: "train",
    mode: "tty",
    write: (s) => out.push(s),
    now: clock.now,
    intervalMs: 100,
    width: 10,
  });
  for (let i = 1; i <= 10; i++) {
    clock.advance(30);
    p.update(i);
  }
  p.done();
  assert.ok(out.length < 10, `throttled: ${out.length} writes`);
  assert.ok(out.every((s) => s.startsWith("\r")));
  assert.match(out.at(-1)!, /^\rtrain \[##########\] 10\/10 \(100%\)/);
  assert.ok(out.at(-1)!.endsWith("\n"));
});
