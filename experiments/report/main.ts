/**
 * `deno task report <run-dir> [--out FILE] [--top N] [--examples N]`: writes
 * `<run-dir>/report.html`, one self-contained page (no external resources) with the run's info,
 * leaderboard, charts, architectures of the top candidates and attacked examples. See
 * build_report.ts.
 *
 * Permissions (see bundle.ts for why): `--allow-read=.`, `--allow-write=runs` (the report goes into
 * the run folder), `--allow-env` and `--allow-run=<esbuild's native binary>`.
 */
import { parseCli, UsageError } from "../_shared/cli.ts";
import { writeReport } from "./build_report.ts";

const HELP = "deno task report <run-dir> [--out FILE] [--top 3] [--examples 12] [--rows 50]";

const { values, positionals } = parseCli({
  task: "report",
  usage: HELP,
  allowPositionals: true,
  options: {
    out: { type: "string" },
    top: { type: "string", default: "3" },
    examples: { type: "string", default: "12" },
    rows: { type: "string", default: "50" },
  },
});
if (positionals.length !== 1) {
  throw new UsageError(
    `expected one run folder (runs/<experiment>/<run-id>), got ${positionals.length}`,
  );
}
const count = (name: "top" | "examples" | "rows") => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 0) {
    throw new RangeError(
      `--${name} must be a non-negative integer, got ${JSON.stringify(values[name])}`,
    );
  }
  return v;
};
const dir = positionals[0].replace(/\/+$/, "");
try {
  Deno.statSync(`${dir}/run.json`);
} catch {
  throw new UsageError(`${dir} is not a run folder (no run.json); pass runs/<experiment>/<run-id>`);
}
const path = await writeReport(dir, {
  out: values.out,
  topArchitectures: count("top"),
  attackedExamples: count("examples"),
  leaderboardRows: count("rows"),
});
console.log(`report written to ${path} (${(Deno.statSync(path).size / 1024).toFixed(0)} kB)`);
