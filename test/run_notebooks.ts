/**
 * Executes every notebook in notebooks/ through the real Deno Jupyter kernel
 * (`jupyter nbconvert --execute --ExecutePreprocessor.kernel_name=deno`) and prints one
 * `NOTEBOOK PASS <name> <seconds>s` or `NOTEBOOK FAIL <name>` line each (counted by .ci/run).
 *
 * Budget: `ROSEARCH_BUDGET=ci` (the default here) makes each notebook use its small CI budget;
 * pass `--budget default` to run at the budget a researcher would use.
 * Executed copies go to runs/notebooks/ (the committed notebooks are left as they are) unless
 * `--in-place` is given, which refreshes the committed outputs.
 */
import { parseArgs } from "node:util";
import { basename, join } from "node:path";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    budget: { type: "string", default: "ci" },
    "in-place": { type: "boolean", default: false },
    only: { type: "string" },
    timeout: { type: "string", default: "1500" },
  },
});

const dir = new URL("../notebooks/", import.meta.url).pathname;
const outDir = new URL("../runs/notebooks/", import.meta.url).pathname;
await Deno.mkdir(outDir, { recursive: true });
const names = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ipynb") && (!values.only || n.includes(values.only)))
  .sort();

let failures = 0;
for (const name of names) {
  const t0 = performance.now();
  const args = [
    "nbconvert", "--to", "notebook", "--execute",
    "--ExecutePreprocessor.kernel_name=deno",
    `--ExecutePreprocessor.timeout=${values.timeout}`,
    join(dir, name),
  ];
  if (values["in-place"]) args.push("--inplace");
  else args.push("--output-dir", outDir, "--output", basename(name));
  const out = await new Deno.Command("jupyter", {
    args,
    cwd: dir,
    env: { ROSEARCH_BUDGET: values.budget!, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (out.success) {
    console.log(`NOTEBOOK PASS ${name} ${secs}s (budget ${values.budget})`);
  } else {
    failures++;
    console.log(`NOTEBOOK FAIL ${name} ${secs}s`);
    console.log(new TextDecoder().decode(out.stderr).split("\n").slice(-40).join("\n"));
  }
}
if (failures > 0) Deno.exit(1);
