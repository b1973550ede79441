/**
 * Markdown of a validity audit (lib/robustness audit.ts): one file per recipe with the proxies
 * and the first successful examples side by side, and one summary over recipes.
 */
import { type AuditedExample, type AuditProxies, markSwaps } from "./audit.ts";

export interface RecipeAudit {
  recipe: string;
  /** Attacked examples, and how many stayed correct (accuracy under attack = robust / n). */
  n: number;
  robust: number;
  /** Wilson 95% interval of accuracy under attack (fractions). */
  interval: { lower: number; upper: number };
  proxies: AuditProxies;
  examples: AuditedExample[];
  /** What the attack used (embedding, masked LM, constraints), for the reader. */
  setup: string;
}

const pct = (x: number) => Number.isFinite(x) ? (100 * x).toFixed(1) : "–";
const num = (x: number, d = 2) => Number.isFinite(x) ? x.toFixed(d) : "–";

/** The proxies of one recipe as table cells (see `PROXY_HEADER`). */
function proxyCells(a: RecipeAudit): string {
  const p = a.proxies;
  return `${pct(a.robust / a.n)} [${pct(a.interval.lower)}, ${pct(a.interval.upper)}] | ` +
    `${p.successes} | ${p.swaps} | ${num(p.meanLogProbChange)} | ${pct(p.shareBelowThreshold)} | ` +
    `${num(p.meanCosine)} | ${pct(p.shareInVectors)} | ${pct(p.sharePosChanged)} | ` +
    `${pct(p.shareGrammarChanged)}`;
}

const PROXY_HEADER =
  "accuracy under attack % [95% CI] | successes | swaps | mean MLM log-prob change (nats) | " +
  "swaps below -threshold % | mean word-vector cosine | swaps in vectors % | POS changed % | " +
  "POS or verb form changed %";

/** The file of one recipe: setup, proxies, the first `show` successes side by side. */
export function recipeAuditMarkdown(a: RecipeAudit, title: string, show = 50): string {
  const lines = [
    `# Attack validity audit: ${a.recipe} (${title})`,
    "",
    a.setup,
    "",
    `| ${PROXY_HEADER} |`,
    `|${" ---: |".repeat(9)}`,
    `| ${proxyCells(a)} |`,
    "",
    `Accuracy under attack over n = ${a.n} examples (Wilson 95% interval). Proxies over every ` +
    `successful attack: the masked-LM log-probability change of each swapped word (new word in ` +
    `the perturbed text minus old word in the original, that word masked; threshold ` +
    `${a.proxies.threshold} nats), the cosine of each swap in the counter-fitted word vectors ` +
    `(data/wordvec), and the share of swaps whose part of speech (or verb inflection) changed.` +
    (a.proxies.realigned
      ? ` ${a.proxies.realigned} successes changed the word count (e.g. an inserted space) ` +
        "and are listed but not scored."
      : ""),
    "",
    `## The first ${Math.min(show, a.examples.length)} successful attacks`,
    "",
    "| # | original | perturbed | swaps (MLM change, cosine, tags) |",
    "|---:|---|---|---|",
  ];
  a.examples.slice(0, show).forEach((e, i) => {
    const m = markSwaps(e);
    const swaps = e.swaps.map((s) =>
      `${s.from} → ${s.to} (${num(s.logProbChange ?? NaN, 1)}, ${num(s.cosine ?? NaN)}, ` +
      `${s.fromTag}→${s.toTag})`
    ).join("; ").replace(/\|/g, "\\|");
    lines.push(`| ${i + 1} | ${m.original} | ${m.perturbed} | ${swaps || "(realigned)"} |`);
  });
  return lines.join("\n") + "\n";
}

/** The summary over recipes. */
export function auditSummaryMarkdown(audits: readonly RecipeAudit[], heading: string): string {
  return [
    heading,
    "",
    `| recipe | ${PROXY_HEADER} |`,
    `|---|${" ---: |".repeat(9)}`,
    ...audits.map((a) => `| ${a.recipe} | ${proxyCells(a)} |`),
    "",
  ].join("\n");
}
