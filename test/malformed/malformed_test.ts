import assert from "node:assert/strict";
import { join } from "node:path";
import { saveTinyTeacher } from "../../experiments/_shared/test_teacher.ts";
import { CASES } from "./cases.ts";

Deno.test({
  name: "malformed inputs: each case gets the error it states (file, line or field, expected)",
  sanitizeResources: false,
  fn: async (t) => {
    assert.ok(CASES.length >= 30, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.id)).size, CASES.length, "ids are unique");
    const root = await Deno.makeTempDir({ prefix: "malformed_" });
    const fixtures = { checkpoint: join(root, "_fixture") };
    await saveTinyTeacher(fixtures.checkpoint, { hidden: 32, heads: 2 });
    try {
      for (const c of CASES) {
        await t.step(`${c.area}/${c.id}: ${c.input}`, async () => {
          const dir = join(root, c.id);
          await Deno.mkdir(dir, { recursive: true });
          if (c.recovered) {
            const report = await c.run(dir, fixtures);
            assert.match(String(report), c.expected);
            return;
          }
          let error: unknown = null;
          try {
            await c.run(dir, fixtures);
          } catch (e) {
            error = e;
          }
          assert.ok(error instanceof Error, `${c.id}: no error was raised`);
          assert.match(error.message, c.expected, `${c.id}: ${error.message}`);
        });
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("malformed inputs: README.md lists every case", () => {
  const readme = Deno.readTextFileSync(new URL("./README.md", import.meta.url));
  for (const c of CASES) assert.ok(readme.includes(`\`${c.id}\``), `README.md lacks ${c.id}`);
});
