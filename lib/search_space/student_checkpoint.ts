/**
 * Searched students in lib/models's checkpoint format (one format for every model of the
 * project): `config.json` holds the student's `config` (canonical genome, its hash and the build
 * options), `model.safetensors` every variable under its `buildStudent` name (through lib/models's
 * state-dict layout rule, so the round trip is exact), `manifest.json` the sha256 of each file,
 * the metrics and the command. Importing this module registers the kind "searched", so
 * lib/models's `loadModel` rebuilds such a folder anywhere.
 */
import { z } from "zod";
import {
  type CheckpointManifest,
  loadModel,
  registerCheckpointKind,
  saveCheckpoint,
} from "../models/mod.ts";
import { buildStudent, type SearchedStudent } from "./build.ts";
import { validateStructure } from "./validate.ts";

const ConfigSchema = z.object({
  genome: z.unknown(),
  vocabSize: z.number().int().positive(),
  maxPositions: z.number().int().positive(),
  numLabels: z.number().int().positive(),
  typeVocabSize: z.number().int().positive(),
  dropout: z.number().min(0).max(1),
  initStd: z.number().positive(),
}).passthrough();

registerCheckpointKind("searched", {
  configOf: (model) => ({ ...model.config, vocab_size: model.config.vocabSize }),
  build(config, where) {
    const r = ConfigSchema.safeParse(config);
    if (!r.success) {
      throw new TypeError(
        `Cannot load searched student ${where}: ${
          r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")
        }`,
      );
    }
    const { genome, ...options } = r.data;
    return buildStudent(validateStructure(genome), options);
  },
});

/** Saves a searched student as a lib/models checkpoint folder (float32: weights unchanged). */
export function saveSearchedStudent(
  student: SearchedStudent,
  dir: string,
  manifest: { metrics?: Record<string, unknown>; command?: string; [key: string]: unknown } = {},
): Promise<CheckpointManifest> {
  return saveCheckpoint(student, dir, { dtype: "F32", manifest, vocabPath: null });
}

/** Loads a searched student's checkpoint folder; refuses other kinds, naming the folder. */
export async function loadSearchedStudent(dir: string): Promise<SearchedStudent> {
  const { model, manifest } = await loadModel(dir);
  if (model.kind !== "searched") {
    model.dispose();
    throw new TypeError(`${dir} holds a "${manifest.kind}" checkpoint, not a searched student`);
  }
  return model as SearchedStudent;
}
