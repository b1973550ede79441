/**
 * `deno task chaos [--kills 20] [--seed 1] [--targets search,attack] [--quick] [--write-docs]`:
 * the kill-and-resume campaign of campaign.ts on a quick search (32 candidates, no final stage)
 * and a quick attack (PWWS on 200 SST-2 dev examples), both against a tiny random teacher
 * saved under runs/_chaos/ (the tasks may only read the project folder). Prints one line per
 * kill and a table; `--quick` is CI's small campaign (3 kills each); `--write-docs` writes the
 * table to experiments/chaos/results/README.md. Exits 1 when a check fails.
 */
import { saveTinyTeacher } from "../_shared/test_teacher.ts";
import { parseCli } from "../_shared/cli.ts";
import { positiveInt } from "../_shared/project.ts";
import { isCheckpointDir } from "../../lib/project/mod.ts";
import { type ChaosResult, type ChaosTarget, runCampaign } from "./campaign.ts";

const USAGE = "deno task chaos [--kills 20] [--seed 1] [--targets search,attack] [--quick] " +
  "[--write-docs]";
const ROOT = "runs/_chaos";
const TEACHER = `${ROOT}/teacher/classifier`;

export const TARGETS: Record<string, (root: string, teacher: string) => ChaosTarget> = {
  search: (root, teacher) => ({
    name: "search",
    task: "rosearch",
    experiment: "rosearch_sst2",
    args: [
      "--quick",
      "--budget",
      "32",
      "--no-final",
      "--seed",
      "7",
      "--teacher",
      teacher,
      "--results",
      `${root}/search/results`,
    ],
    resumeArgs: ["--no-final"],
    compare: (r) =>
      r.kind === "candidate"
        ? [r.hash, r.id, r.evaluation, r.origin, r.parents, r.status]
        : [r.kind],
  }),
  attack: (_root, teacher) => ({
    name: "attack",
    task: "attack",
    experiment: "attack",
    args: [
      "--recipe",
      "pwws",
      "--model",
      teacher,
      "--teacher",
      teacher,
      "--n",
      "200",
      "--seed",
      "3",
      "--no-progress",
    ],
    compare: (r) => [r.resultType, r.perturbedText, r.numQueries, r.modifiedIndices],
  }),
};

export function resultTable(results: ChaosResult[]): string {
  const rows = results.map((r) =>
    `| ${r.target} | ${r.kills} | ${r.startupKills} | ${r.resumes} | ${r.restarts} | ` +
    `${r.finishedEarly} | ` +
    `${r.records} / ${r.referenceRecords} | ${r.lost.length} | ${r.duplicated.length} | ` +
    `${r.extra.length} | ${r.differing.length} | ${r.repairs} | ${
      r.referenceSeconds.toFixed(0)
    } | ` +
    `${r.chaosSeconds.toFixed(0)} | ${r.ok ? "yes" : "**no**"} |`
  );
  return [
    "| target | kills | of which before a new record | resumes | restarts (no run.json yet) | " +
    "finished before the kill | records (killed / " +
    "uninterrupted) | lost | duplicated | extra | differing | torn lines repaired | " +
    "uninterrupted s | killed-and-resumed s | identical |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseCli({
    task: "chaos",
    usage: USAGE,
    options: {
      kills: { type: "string" },
      seed: { type: "string", default: "1" },
      targets: { type: "string", default: "search,attack" },
      quick: { type: "boolean", default: false },
      "write-docs": { type: "boolean", default: false },
    },
  });
  const kills = values.kills ? positiveInt("kills", values.kills) : values.quick ? 3 : 20;
  const seed = Number(values.seed);
  const names = values.targets.split(",").filter(Boolean);
  for (const n of names) {
    if (!(n in TARGETS)) {
      throw new RangeError(`--targets: unknown "${n}"; valid: ${Object.keys(TARGETS).join(", ")}`);
    }
  }
  if (!isCheckpointDir(TEACHER)) await saveTinyTeacher(TEACHER, { hidden: 256, heads: 4 });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15);
  const root = `${ROOT}/${stamp}`;
  const results: ChaosResult[] = [];
  for (const n of names) {
    results.push(await runCampaign(TARGETS[n](root, TEACHER), { kills, seed, root }));
  }
  const table = resultTable(results);
  console.log(`\n${table}\n\nruns in ${root}`);
  for (const r of results.filter((r) => !r.ok)) {
    console.log(
      `${r.target}: lost ${r.lost.join(",")}; duplicated ${r.duplicated.join(",")}; extra ` +
        `${r.extra.join(",")}; differing ${r.differing.join(",")}`,
    );
  }
  if (values["write-docs"]) {
    // one campaign per target: a target run now replaces its earlier entry, the others stay
    const file = "experiments/chaos/results/campaign.json";
    let saved: { kills: number; seed: number; root: string; result: ChaosResult }[] = [];
    try {
      saved = JSON.parse(Deno.readTextFileSync(file)).campaigns ?? [];
    } catch { /* first campaign */ }
    const campaigns = [
      ...saved.filter((c) => !names.includes(c.result.target)),
      ...results.map((result) => ({ kills, seed, root, result })),
    ].sort((a, b) => a.result.target < b.result.target ? 1 : -1);
    const md = `# Kill-and-resume campaign\n\n` +
      campaigns.map((c) =>
        `- ${c.result.target}: \`deno task chaos --kills ${c.kills} --seed ${c.seed} --targets ` +
        `${c.result.target}\` (runs in ${c.root}, not committed)`
      ).join("\n") +
      `\n\nHow it works: experiments/chaos/campaign.ts. Measured on the 2-core machine, ${
        new Date().toISOString().slice(0, 10)
      }.\n\n${resultTable(campaigns.map((c) => c.result))}\n`;
    Deno.mkdirSync("experiments/chaos/results", { recursive: true });
    Deno.writeTextFileSync("experiments/chaos/results/README.md", md);
    Deno.writeTextFileSync(file, JSON.stringify({ campaigns }, null, 1) + "\n");
  }
  if (results.some((r) => !r.ok)) Deno.exit(1);
}
