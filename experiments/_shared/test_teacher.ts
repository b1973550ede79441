/**
 * Shared by the tasks' end-to-end tests: a task script run as a subprocess, a tiny random
 * 1-layer BERT teacher saved where a task may read it (under runs/_tests/), and a run's JSONL
 * records read tolerantly (a torn last line of a killed process is skipped).
 */
import { initBackend } from "../../lib/backend/mod.ts";
import { createBertClassifier, saveCheckpoint } from "../../lib/models/mod.ts";
import { PROJECT_ROOT } from "./project.ts";

/** Saves the teacher at `dir` (F16, seed 1); hidden 128 and 2 heads unless given. */
export async function saveTinyTeacher(
  dir: string,
  size: { hidden?: number; heads?: number; numLabels?: number } = {},
): Promise<void> {
  await initBackend();
  const hidden = size.hidden ?? 128;
  const teacher = createBertClassifier({
    vocab_size: 30522,
    hidden_size: hidden,
    num_hidden_layers: 1,
    num_attention_heads: size.heads ?? 2,
    intermediate_size: hidden,
    max_position_embeddings: 128,
    num_labels: size.numLabels ?? 2,
  }, { seed: 1 });
  await saveCheckpoint(teacher, dir, { dtype: "F16" });
  teacher.dispose();
}

/** The JSON lines of `path` ([] when it does not exist yet). */
export function readJsonLines(path: string): Record<string, unknown>[] {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return [];
  }
  return text.split("\n").filter((l) => l.trim()).flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return []; // a torn last line
    }
  });
}

/**
 * Runs `deno run <permissions> <script> <args>` from the project root with ROSEARCH_BUDGET=ci
 * and returns stdout + stderr; a non-zero exit fails with the whole output.
 */
export async function runTaskScript(
  script: string,
  permissions: readonly string[],
  args: readonly string[],
): Promise<string> {
  const out = await new Deno.Command("deno", {
    args: ["run", ...permissions, script, ...args],
    cwd: PROJECT_ROOT,
    env: { ROSEARCH_BUDGET: "ci" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (out.code !== 0) throw new Error(`${script} ${args.join(" ")} exited ${out.code}:\n${text}`);
  return text;
}
