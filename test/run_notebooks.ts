/**
 * Executes every notebook in notebooks/ through the real Deno Jupyter kernel
 * (`jupyter nbconvert --execute --ExecutePreprocessor.kernel_name=deno`) and prints one
 * `NOTEBOOK PASS <name> <seconds>s` or `NOTEBOOK FAIL <name>` line each (counted by .ci/run),
 * then the total time.
 *
 * Budget: `--budget ci` (the default here) sets `ROSEARCH_BUDGET=ci` so each notebook uses its
 * small CI budget; `--budget default` runs at the budget a researcher would use.
 * Executed copies go to runs/notebooks/ (the committed notebooks are left as they are) unless
 * `--in-place` is given, which refreshes the committed outputs. `--only 03` runs the notebooks
 * whose name contains "03". `--max-seconds N` fails a notebook that takes longer than N seconds
 * (default: 180 with `--budget ci`, the CI limit per notebook; no limit with `--budget default`).
 *
 * The Deno kernel runs with every permission (`deno jupyter --kernel` takes no permission flags;
 * the kernelspec written by `deno jupyter --install` is `deno jupyter --kernel --conn <file>`), so
 * this script's own narrow permissions do not bound what a notebook can do.
 * `test/nbconvert_config.py` makes nbclient pause 1 s before the first cell (see that file: without
 * it the first outputs are sometimes lost).
 */
import { parseCli } from "../experiments/_shared/cli.ts";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const USAGE = "deno task notebooks[:ci] [--budget ci|default] [--in-place] [--only NN,...] " +
  "[--timeout 1500] [--max-seconds S]";
const { values } = parseCli({
  task: Deno.args.includes("--in-place") ? "notebooks" : "notebooks:ci",
  usage: USAGE,
  options: {
    budget: { type: "string", default: "ci" },
    "in-place": { type: "boolean", default: false },
    only: { type: "string" },
    timeout: { type: "string", default: "1500" },
    "max-seconds": { type: "string" },
  },
});
if (values.budget !== "ci" && values.budget !== "default") {
  throw new RangeError(`--budget must be "ci" or "default", got ${JSON.stringify(values.budget)}`);
}
const maxSeconds = values["max-seconds"] === undefined
  ? (values.budget === "ci" ? 180 : Infinity)
  : Number(values["max-seconds"]);
if (!(maxSeconds > 0)) {
  throw new RangeError(`--max-seconds must be a positive number, got ${values["max-seconds"]}`);
}

const dir = fileURLToPath(new URL("../notebooks/", import.meta.url));
const outDir = fileURLToPath(new URL("../runs/notebooks/", import.meta.url));
const config = fileURLToPath(new URL("./nbconvert_config.py", import.meta.url));
await Deno.mkdir(outDir, { recursive: true });
const names = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ipynb") && (!values.only || n.includes(values.only)))
  .sort();
if (names.length === 0) {
  console.log(
    `NOTEBOOK FAIL no notebooks in ${dir}${values.only ? ` matching "${values.only}"` : ""}`,
  );
  Deno.exit(1);
}

let failures = 0;
const start = performance.now();
for (const name of names) {
  const t0 = performance.now();
  const args = [
    "nbconvert",
    "--config",
    config,
    "--to",
    "notebook",
    "--execute",
    "--ExecutePreprocessor.kernel_name=deno",
    `--ExecutePreprocessor.timeout=${values.timeout}`,
    join(dir, name),
  ];
  if (values["in-place"]) args.push("--inplace");
  else args.push("--output-dir", outDir, "--output", basename(name));
  const out = await new Deno.Command("jupyter", {
    args,
    cwd: dir,
    env: { ROSEARCH_BUDGET: values.budget, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  const secs = seconds.toFixed(1);
  if (out.success && seconds <= maxSeconds) {
    console.log(`NOTEBOOK PASS ${name} ${secs}s (budget ${values.budget})`);
  } else {
    failures++;
    const why = out.success ? ` (over the ${maxSeconds} s limit)` : "";
    console.log(`NOTEBOOK FAIL ${name} ${secs}s${why}`);
    if (!out.success) {
      const lines = new TextDecoder().decode(out.stderr).split("\n")
        .filter((l) => !/Debugger warning|frozen modules|PYDEVD|Debugging will proceed/.test(l));
      console.log(lines.slice(-40).join("\n"));
    }
  }
}
console.log(
  `NOTEBOOKS ${names.length - failures}/${names.length} passed in ${
    ((performance.now() - start) / 1000).toFixed(1)
  }s (budget ${values.budget})`,
);
if (failures > 0) Deno.exit(1);
