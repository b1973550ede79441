/**
 * `deno task attack-audit`: the validity audit of every recipe (issue 12). The teacher is
 * attacked on the first `--examples` SST-2 dev examples (default 100, as the final table) under
 * the project's one attack setup (lib/robustness `attackResources`), 500 queries per example;
 * for each recipe `audit_<recipe>.md` (50 successes side by side and the proxies) and
 * `audit_<recipe>.json` (every success with its swaps) go to `--out`
 * (default experiments/attack/results/), and `audit.md` summarises them.
 *
 *   deno task attack-audit [--recipes textfooler,pwws] [--examples 100] [--out DIR]
 *                          [--title "after issue 12"]
 */
import { parseCli } from "../_shared/cli.ts";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/mod.ts";
import { columnLabelsOf } from "../../lib/data/mod.ts";
import { DEFAULT_TEACHER_DIR, mlmDirOf, relativeToProject } from "../../lib/project/mod.ts";
import {
  auditProxies,
  auditResults,
  auditSummaryMarkdown,
  DEFAULT_MAX_LOG_PROB_DROP,
  RECIPE_NAMES,
  type RecipeAudit,
  recipeAuditMarkdown,
} from "../../lib/robustness/mod.ts";
import {
  attackModel,
  attackResources,
  loadMaskedLM,
  loadWordVectors,
} from "../../lib/robustness/tfjs.ts";
import { wilson } from "../../lib/stats/mod.ts";
import { attackExamples, loadVictimModel, maxLengthOf } from "./setup.ts";

const USAGE = "deno task attack-audit [--recipes a,b] [--examples N] [--out DIR] " +
  "[--title TEXT] [--query-budget N]";

export async function main(args: string[]): Promise<void> {
  const { values } = parseCli({
    task: "attack-audit",
    usage: USAGE,
    args,
    options: {
      recipes: { type: "string", default: RECIPE_NAMES.join(",") },
      examples: { type: "string", default: "100" },
      out: { type: "string", default: "experiments/attack/results" },
      title: { type: "string", default: "current constraints" },
      "query-budget": { type: "string", default: "500" },
    },
  });
  const recipes = values.recipes.split(",").filter(Boolean);
  for (const r of recipes) {
    if (!(RECIPE_NAMES as readonly string[]).includes(r)) {
      throw new RangeError(`--recipes: unknown recipe "${r}"; valid: ${RECIPE_NAMES.join(", ")}`);
    }
  }
  const n = Number(values.examples), budget = Number(values["query-budget"]);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--examples: expected N >= 1`);
  if (!Number.isInteger(budget) || budget < 1) {
    throw new RangeError(`--query-budget: expected N >= 1`);
  }
  await initBackend({ prefer: "wasm" });
  const victim = await loadVictimModel(DEFAULT_TEACHER_DIR);
  const { examples } = await attackExamples("sst2", n);
  const resources = await attackResources(recipes, { teacherDir: DEFAULT_TEACHER_DIR });
  // the audit's own instruments: the project's masked LM and the counter-fitted vectors,
  // whatever the recipes use
  const scorer = await loadMaskedLM(mlmDirOf(DEFAULT_TEACHER_DIR));
  const vectors = await loadWordVectors();
  await Deno.mkdir(values.out, { recursive: true });
  const audits: RecipeAudit[] = [];
  for (const recipe of recipes) {
    const t0 = performance.now();
    const outcome = await attackModel(victim.model, examples, recipe, {
      dataset: "sst2",
      queryBudget: budget,
      maxLength: maxLengthOf(victim.model),
      resources,
      keepResults: true,
    });
    const audited = await auditResults(outcome.results!, {
      scorer,
      vectors,
      threshold: DEFAULT_MAX_LOG_PROB_DROP,
    });
    const robust = outcome.metrics.failed;
    const ci = wilson(robust, n);
    const audit: RecipeAudit = {
      recipe,
      n,
      robust,
      interval: { lower: ci.lower, upper: ci.upper },
      proxies: auditProxies(audited, DEFAULT_MAX_LOG_PROB_DROP),
      examples: audited,
      setup: `Victim: the teacher (${relativeToProject(DEFAULT_TEACHER_DIR)}); the first ${n} ` +
        `SST-2 dev examples; ${budget} queries per example; word embedding: ` +
        `${resources.embeddingSource ?? "none"}; masked LM: ${
          resources.mlmDir ? relativeToProject(resources.mlmDir) : "none"
        }. Columns: ${columnLabelsOf("sst2").join(", ")}.`,
    };
    audits.push(audit);
    await Deno.writeTextFile(
      join(values.out, `audit_${recipe}.md`),
      recipeAuditMarkdown(audit, values.title),
    );
    await Deno.writeTextFile(
      join(values.out, `audit_${recipe}.json`),
      JSON.stringify({ title: values.title, ...audit }, null, 1) + "\n",
    );
    const p = audit.proxies;
    console.log(
      `${recipe.padEnd(12)} under attack ${(100 * robust / n).toFixed(1)}% ` +
        `[${(100 * ci.lower).toFixed(1)}, ${(100 * ci.upper).toFixed(1)}] n ${n}; ` +
        `${p.successes} successes, ${p.swaps} swaps; MLM change ${
          p.meanLogProbChange.toFixed(2)
        }; ` +
        `cosine ${p.meanCosine.toFixed(2)}; POS changed ${(100 * p.sharePosChanged).toFixed(1)}% ` +
        `(${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  await Deno.writeTextFile(
    join(values.out, "audit.md"),
    auditSummaryMarkdown(
      audits,
      `# Attack validity audit (${values.title})\n\nCommand: \`deno task attack-audit\` ` +
        `(${new Date().toISOString().slice(0, 10)}). Per recipe: audit_<recipe>.md.`,
    ),
  );
}

if (import.meta.main) await main(Deno.args);
