/**
 * Saving and loading a trained searched student (lib/models checkpoints cover BERT and BiLSTM
 * only): `<dir>/genome.json` (canonical genome, hash, build options, metrics) and
 * `<dir>/model.safetensors` (every variable under its `buildStudent` name, float32, the
 * builder's internal layout). Loading rebuilds the student from the genome and assigns the
 * tensors, checking names and shapes.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { readSafetensors, serializeSafetensors } from "../../lib/models/mod.ts";
import type { TensorToWrite } from "../../lib/models/mod.ts";
import {
  buildStudent,
  genomeHash,
  type SearchedStudent,
  validateStructure,
} from "../../lib/search_space/mod.ts";
import { MAX_POSITIONS, VOCAB_SIZE } from "./evaluate_candidate.ts";

const MetaSchema = z.object({
  format: z.literal("rosearch-searched-student/1"),
  hash: z.string(),
  genome: z.unknown(),
  vocabSize: z.number().int().positive(),
  maxPositions: z.number().int().positive(),
  metrics: z.record(z.unknown()).default({}),
});

/** Writes genome.json and model.safetensors (atomically: temporary names, then rename). */
export async function saveSearchedStudent(
  student: SearchedStudent,
  dir: string,
  metrics: Record<string, unknown> = {},
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, v] of student.params) {
    tensors.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
  }
  const meta = {
    format: "rosearch-searched-student/1",
    hash: genomeHash(student.genome),
    genome: student.genome,
    vocabSize: VOCAB_SIZE,
    maxPositions: MAX_POSITIONS,
    metrics,
  };
  await Deno.writeFile(`${dir}/.model.safetensors.tmp`, serializeSafetensors(tensors));
  await Deno.rename(`${dir}/.model.safetensors.tmp`, `${dir}/model.safetensors`);
  await Deno.writeTextFile(`${dir}/.genome.json.tmp`, JSON.stringify(meta, null, 1) + "\n");
  await Deno.rename(`${dir}/.genome.json.tmp`, `${dir}/genome.json`);
}

/** True when `dir` holds a saved searched student. */
export function isSearchedStudentDir(dir: string): boolean {
  try {
    Deno.statSync(`${dir}/genome.json`);
    return true;
  } catch {
    return false;
  }
}

/** Rebuilds a saved student; throws naming the file and tensor on any mismatch. */
export async function loadSearchedStudent(dir: string): Promise<SearchedStudent> {
  const raw = JSON.parse(await Deno.readTextFile(`${dir}/genome.json`));
  const parsed = MetaSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TypeError(
      `Cannot load searched student ${dir}/genome.json: ${
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
      }`,
    );
  }
  const meta = parsed.data;
  const genome = validateStructure(meta.genome);
  const { tensors } = await readSafetensors(`${dir}/model.safetensors`);
  const student = buildStudent(genome, {
    vocabSize: meta.vocabSize,
    maxPositions: meta.maxPositions,
  });
  try {
    for (const [name, v] of student.params) {
      const t = tensors.get(name);
      if (!t) throw new Error(`${dir}/model.safetensors has no tensor "${name}"`);
      if (t.shape.join(",") !== v.shape.join(",")) {
        throw new Error(
          `${dir}/model.safetensors: "${name}" has shape [${t.shape}], the genome needs [${v.shape}]`,
        );
      }
      const value = tf.tensor(t.data as Float32Array, v.shape, "float32");
      v.assign(value);
      value.dispose();
    }
  } catch (e) {
    student.dispose();
    throw e;
  }
  return student;
}
