import assert from "node:assert/strict";
import { describeError, parseCliArgs, taskPermissions, UsageError } from "./cli.ts";
import { PROJECT_ROOT } from "./project.ts";

const o = { task: "attack", usage: "deno task attack [--n N]", debug: false };

Deno.test("describeError: usage errors exit 2 with the usage, no stack", () => {
  for (const e of [new UsageError("--n must be an integer"), new RangeError("--n: expected N")]) {
    const r = describeError(e, o);
    assert.deepEqual(r.code, 2);
    assert.ok(r.text.includes("deno task attack: --n"), r.text);
    assert.ok(r.text.includes("usage: deno task attack [--n N]"), r.text);
    assert.ok(!r.text.includes("at "), r.text);
  }
});

Deno.test("describeError: a RangeError from deep in the work (no flag) is no usage error", () => {
  const r = describeError(new RangeError("sampleGenome: no valid genome in 2000 draws"), o);
  assert.equal(r.code, 1);
  assert.ok(!r.text.includes("usage:"), r.text);
  const kd = describeError(new RangeError("rosearch: --kd: unknown KD mode"), {
    ...o,
    task: "rosearch",
  });
  assert.equal(kd.code, 2);
  assert.ok(kd.text.startsWith("deno task rosearch: --kd: unknown KD mode"), kd.text);
});

Deno.test("describeError: other errors exit 1 in one line; --debug adds the stack", () => {
  const e = new Error("model.safetensors changed since it was saved");
  const plain = describeError(e, o);
  assert.deepEqual(plain.code, 1);
  assert.deepEqual(plain.text.split("\n").length, 1);
  assert.ok(plain.text.includes("--debug"), plain.text);
  const debug = describeError(e, { ...o, debug: true });
  assert.ok(debug.text.includes("cli_test.ts"), debug.text);
});

Deno.test("describeError: a permission error names the task's folders", () => {
  const e = new Deno.errors.NotCapable(
    'Requires read access to "/elsewhere/run/run.json", run again with the --allow-read flag',
  );
  const r = describeError(e, { ...o, task: "rosearch" });
  assert.deepEqual(r.code, 2);
  assert.ok(r.text.includes("no read access to /elsewhere/run/run.json"), r.text);
  assert.ok(r.text.includes("write only under runs, .cache"), r.text);
});

Deno.test("parseCliArgs: an unknown flag lists the flags; --debug and --help are known", () => {
  let message = "";
  try {
    parseCliArgs({ n: { type: "string" } }, ["--candidates", "abc"]);
  } catch (e) {
    assert.ok(e instanceof UsageError);
    message = e.message;
  }
  assert.deepEqual(message, "Unknown option '--candidates'; the options are --n, --help, --debug");
  const { values } = parseCliArgs({ n: { type: "string" } }, ["--n", "3", "--debug"]);
  assert.deepEqual([values.n, values.debug, values.help], ["3", true, false]);
});

Deno.test("taskPermissions reads deno.json", () => {
  const p = taskPermissions("attack");
  assert.deepEqual(p, { read: ["."], write: ["runs", ".cache"] });
  assert.deepEqual(taskPermissions("no-such-task"), null);
});

// ---- every task, as a user runs it ---------------------------------------------------------

const DENO_SUBCOMMANDS = new Set(["test", "test:snapshots", "check"]);
const TASKS = Object.keys(
  JSON.parse(Deno.readTextFileSync(`${PROJECT_ROOT}deno.json`)).tasks as Record<string, string>,
).filter((t) => !DENO_SUBCOMMANDS.has(t));

async function task(args: string[]) {
  const out = await new Deno.Command("deno", {
    args: ["task", "-q", ...args],
    cwd: PROJECT_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function eachTask(check: (name: string) => Promise<void>) {
  const queue = [...TASKS];
  await Promise.all([0, 1].map(async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) await check(t);
  }));
}

Deno.test({
  name: "every task: a bad flag exits 2 with one line and the usage; --help exits 0",
  sanitizeResources: false,
  fn: async () => {
    assert.ok(TASKS.length >= 15, `${TASKS.length} tasks`);
    await eachTask(async (name) => {
      const bad = await task([name, "--no-such-flag"]);
      assert.deepEqual(bad.code, 2, `${name}: ${bad.stderr}`);
      const [first] = bad.stderr.split("\n");
      assert.match(first, new RegExp(`^deno task ${name}: Unknown option '--no-such-flag'`));
      assert.ok(bad.stderr.includes("\nusage: deno task"), name);
      assert.ok(!/^\s+at /m.test(bad.stderr), `${name} printed a stack:\n${bad.stderr}`);
      const help = await task([name, "--help"]);
      assert.deepEqual(help.code, 0, `${name} --help: ${help.stderr}`);
      assert.match(help.stdout, /deno task /, name);
    });
  },
});

Deno.test({
  name: "bad values and folders outside the task's permissions are named",
  sanitizeResources: false,
  fn: async () => {
    const cases: [string[], RegExp][] = [
      [["attack", "--recipe", "foo"], /^deno task attack: --recipe "foo": unknown foo; valid: /],
      [["rosearch", "--budget", "abc"], /^deno task rosearch: --budget "abc": expected default/],
      [["attack", "--n", "x"], /^deno task attack: --n must be an integer, got "x"/],
      [["teacher", "--stage", "x"], /^deno task teacher: --stage must be mlm, classifier or both/],
      [
        ["rosearch", "--resume", "/elsewhere/run"],
        /^deno task rosearch: no read access to \/elsewhere\/run\/run.json. This task may read /,
      ],
      [["mate-kd", "--resume", "/elsewhere/run"], /write only under runs, .cache, experiments/],
      [["report", "a", "b"], /^deno task report: expected one run folder/],
    ];
    for (const [args, expected] of cases) {
      const r = await task(args);
      assert.deepEqual(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.ok(!/^\s+at /m.test(r.stderr), `stack printed:\n${r.stderr}`);
    }
  },
});
