/**
 * The bench's stand-in teacher: a tiny random BERT (1 layer, hidden 64) saved under runs/bench/
 * with its caches (the bench may only write there), and removed afterwards. Candidate
 * evaluation costs what it costs with any teacher of that shape; the numbers are not accuracies.
 */
import { createBertClassifier, saveCheckpoint } from "../../lib/models/mod.ts";
import { type EvalSettings, type PreparedTeacher, prepareTeacher } from "../../lib/pipeline/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";

export interface BenchTeacher {
  dir: string;
  prep: PreparedTeacher;
  /** Removes the teacher and its caches. */
  remove(): Promise<void>;
}

export async function benchTeacher(name: string, settings: EvalSettings): Promise<BenchTeacher> {
  const work = `${PROJECT_ROOT}runs/bench/_${name}_${Deno.pid}`;
  const dir = `${work}/teacher/classifier`;
  const teacher = createBertClassifier({
    vocab_size: 30522,
    hidden_size: 64,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 64,
    max_position_embeddings: 128,
    num_labels: 2,
  }, { seed: 1 });
  await saveCheckpoint(teacher, dir);
  teacher.dispose();
  const prep = await prepareTeacher(dir, settings, { cacheRoot: `${work}/cache` });
  return { dir, prep, remove: () => Deno.remove(work, { recursive: true }).catch(() => {}) };
}
