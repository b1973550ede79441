import assert from "node:assert/strict";
import { join } from "node:path";
import { appendLine, readJsonl, repairTail } from "./_jsonl.ts";

/** A test with a temporary folder; `file(text)` makes a new file in it. */
function tmpTest(name: string, fn: (file: (text: string) => string) => void) {
  Deno.test(name, () => {
    const dir = Deno.makeTempDirSync({ prefix: "track_jsonl_" });
    let n = 0;
    try {
      fn((text) => {
        const path = join(dir, `f${n++}.jsonl`);
        Deno.writeTextFileSync(path, text);
        return path;
      });
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
}

tmpTest("appendLine writes one line each and readJsonl reads them back", (file) => {
  const path = file("");
  appendLine(path, { a: 1 });
  appendLine(path, { b: "two\nlines" }, { fsync: true });
  assert.equal(Deno.readTextFileSync(path).split("\n").length, 3);
  const r = readJsonl(path);
  assert.deepEqual(r.lines, [{ line: 1, value: { a: 1 } }, {
    line: 2,
    value: { b: "two\nlines" },
  }]);
  assert.deepEqual(r.problems, []);
});

tmpTest("a corrupt middle line is reported as file:line and the rest still reads", (file) => {
  const path = file('{"i":0}\n{"i":1}\n{"i":2,"v":\n\n{"i":3}\n{"i":4');
  const r = readJsonl(path);
  assert.deepEqual(r.lines.map((l) => (l.value as { i: number }).i), [0, 1, 3]);
  assert.equal(r.problems.length, 2);
  assert.ok(r.problems[0].startsWith(`${path}:3: not valid JSON (`), r.problems[0]);
  assert.ok(r.problems[1].startsWith(`${path}:6: not valid JSON (`), r.problems[1]);
  assert.match(r.problems[1], /torn final line/);
});

tmpTest("repairTail drops a partial line, completes a whole one, leaves clean files", (file) => {
  const torn = file('{"i":0}\n{"i":1}\n{"i":2,"pay');
  assert.deepEqual(repairTail(torn), { file: torn, line: 3, action: "dropped", bytes: 11 });
  assert.equal(Deno.readTextFileSync(torn), '{"i":0}\n{"i":1}\n');
  const whole = file('{"i":0}\n{"i":1}');
  assert.equal(repairTail(whole)?.action, "completed");
  assert.equal(Deno.readTextFileSync(whole), '{"i":0}\n{"i":1}\n');
  const clean = file('{"i":0}\n');
  assert.equal(repairTail(clean), null);
  assert.equal(repairTail(join(clean, "..", "missing.jsonl")), null);
  const onlyTorn = file('{"i"');
  assert.equal(repairTail(onlyTorn)?.line, 1);
  assert.equal(Deno.readTextFileSync(onlyTorn), "");
});
