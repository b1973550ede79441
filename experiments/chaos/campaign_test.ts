/**
 * CI's small kill-and-resume campaign (issue 21): the quick search and the quick attack of
 * `deno task chaos`, SIGKILLed at seeded moments and resumed, end identical to uninterrupted
 * runs of the same seed (every record once, none lost, none extra, the same candidates and
 * attack outcomes). The N = 20 figures are in experiments/chaos/results/README.md.
 */
import assert from "node:assert/strict";
import { saveTinyTeacher } from "../_shared/test_teacher.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { recordsOf, runCampaign } from "./campaign.ts";
import { TARGETS } from "./main.ts";

Deno.test("chaos: the checker sees a duplicated record", () => {
  const dir = `runs/_tests/chaos_dup_${Deno.pid}`;
  Deno.mkdirSync(`${PROJECT_ROOT}${dir}`, { recursive: true });
  Deno.writeTextFileSync(
    `${PROJECT_ROOT}${dir}/records.jsonl`,
    '{"key":"a"}\n{"key":"b"}\n{"key":"a"}\n{"key":"c"',
  );
  const { byKey, dup } = recordsOf(dir);
  assert.deepEqual([...byKey.keys()], ["a", "b"]);
  assert.deepEqual(dup, ["a"]);
  Deno.removeSync(`${PROJECT_ROOT}${dir}`, { recursive: true });
});

Deno.test({
  name: "chaos: search and attack killed at seeded moments and resumed end identical",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = `runs/_tests/chaos_${Deno.pid}`;
    const teacher = `${root}/teacher/classifier`;
    await saveTinyTeacher(`${PROJECT_ROOT}${teacher}`, { hidden: 256, heads: 4 });
    try {
      for (const [name, kills] of [["search", 2], ["attack", 3]] as const) {
        const r = await runCampaign(TARGETS[name](root, teacher), { kills, seed: 5, root });
        assert.ok(r.kills >= 1, `${name}: no kill landed`);
        assert.equal(r.records, r.referenceRecords, `${name}: record counts`);
        assert.deepEqual([r.lost, r.duplicated, r.extra, r.differing], [[], [], [], []], name);
        assert.ok(r.ok, JSON.stringify(r));
      }
    } finally {
      await Deno.remove(`${PROJECT_ROOT}${root}`, { recursive: true });
    }
  },
});
