/**
 * The project's own checkpoint folder, loadable by Hugging Face transformers for BERT models:
 * - `config.json`: HF BertConfig fields (+ `architectures`, `model_type`, `id2label`), or the
 *   BiLSTM config with `model_type: "rosearch-bilstm"`;
 * - `model.safetensors`: HF parameter names and PyTorch layouts ([out, in] linear weights),
 *   metadata `{format: "pt"}`, F32 or F16; the MLM decoder is tied (not stored), as HF writes it;
 * - `vocab.txt`: a copy of the tokenizer vocabulary (default
 *   `data/vocab/bert-base-uncased-vocab.txt`);
 * - `manifest.json`: config, metrics, sha256 of every other file, the producing command, creation
 *   time and git commit (passed in by the caller). `loadCheckpoint` verifies the sha256s.
 *
 * Other model kinds (the searched students of lib/search_space) use the same folder format: their
 * area registers a `CheckpointCodec` (`registerCheckpointKind`) that writes their config.json and
 * rebuilds the model from it; their tensors are stored through the same state-dict rule.
 * `loadModel` loads any registered kind; `loadCheckpoint` keeps the narrower BERT/BiLSTM type.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type * as tf from "@tensorflow/tfjs";
import type { Classifier } from "./types.ts";
import { BertModel, bertParamSpecs } from "./bert.ts";
import { BiLstmClassifier, biLstmParamSpecs, parseBiLstmConfig } from "./bilstm.ts";
import { parseBertConfig } from "./config.ts";
import { createParams, disposeParams } from "./_params.ts";
import { readSafetensors, writeSafetensors } from "./safetensors.ts";
import { assignFromStateDict, stateDictOf } from "./_state_dict.ts";

import { DEFAULT_VOCAB_PATH } from "../project/mod.ts";
export { DEFAULT_VOCAB_PATH };
const FORMAT = "rosearch-checkpoint/1";

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  kind: z.string().min(1),
  config: z.record(z.unknown()),
  metrics: z.record(z.unknown()),
  files: z.record(z.string().regex(/^[0-9a-f]{64}$/)),
  command: z.string(),
  createdAt: z.string(),
  gitCommit: z.string().nullable(),
  dtype: z.enum(["F32", "F16"]),
}).passthrough();
export type CheckpointManifest = z.infer<typeof manifestSchema>;

export interface SaveCheckpointOptions {
  /** Stored float type (default "F32"). */
  dtype?: "F32" | "F16";
  /**
   * What the manifest records besides hashes (defaults: command from Deno.mainModule/args,
   * no commit, no metrics).
   */
  manifest?: {
    command?: string;
    gitCommit?: string | null;
    metrics?: Record<string, unknown>;
    [key: string]: unknown;
  };
  /** Vocabulary file to copy as vocab.txt (default DEFAULT_VOCAB_PATH; null = none). */
  vocabPath?: string | null;
}

/** How a model kind other than BERT and BiLSTM is written to and rebuilt from config.json. */
export interface CheckpointCodec {
  /** The config.json object of a model of this kind. */
  configOf(model: Classifier): Record<string, unknown>;
  /** A model of this kind from its config.json (any initial weights: the loader assigns them). */
  build(config: unknown, where: string): Classifier;
}

const CODECS = new Map<string, CheckpointCodec>();

/** Registers a model kind (idempotent for the same codec; a different one is refused). */
export function registerCheckpointKind(kind: string, codec: CheckpointCodec): void {
  if (kind === "bert" || kind === "bilstm") {
    throw new RangeError(`registerCheckpointKind: "${kind}" is built in`);
  }
  const had = CODECS.get(kind);
  if (had && had !== codec) {
    throw new RangeError(`registerCheckpointKind: "${kind}" is already registered`);
  }
  CODECS.set(kind, codec);
}

const knownKinds = () => ["bert", "bilstm", ...CODECS.keys()].join(", ");

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function hfConfigOf(model: Classifier, dtype: string): Record<string, unknown> {
  if (model instanceof BertModel) {
    const c = model.config;
    const archs = [
      model.heads.classifier ? "BertForSequenceClassification" : null,
      model.heads.mlm ? "BertForMaskedLM" : null,
    ].filter(Boolean);
    const id2label = Object.fromEntries(
      Array.from({ length: c.num_labels }, (_, i) => [String(i), `LABEL_${i}`]),
    );
    const label2id = Object.fromEntries(
      Array.from({ length: c.num_labels }, (_, i) => [`LABEL_${i}`, i]),
    );
    return {
      architectures: archs,
      model_type: "bert",
      ...c,
      id2label,
      label2id,
      torch_dtype: dtype === "F16" ? "float16" : "float32",
    };
  }
  if (model instanceof BiLstmClassifier) {
    return { architectures: ["BiLSTMClassifier"], model_type: "rosearch-bilstm", ...model.config };
  }
  const codec = CODECS.get(model.kind);
  if (codec) return { model_type: `rosearch-${model.kind}`, ...codec.configOf(model) };
  throw new TypeError(
    `saveCheckpoint: unsupported model kind "${model.kind}" (supported: ${knownKinds()})`,
  );
}

/** Writes a checkpoint folder (created if needed) and returns its manifest. */
export async function saveCheckpoint(
  model: Classifier,
  dir: string,
  options: SaveCheckpointOptions = {},
): Promise<CheckpointManifest> {
  const dtype = options.dtype ?? "F32";
  if (dtype !== "F32" && dtype !== "F16") {
    throw new RangeError(
      `saveCheckpoint: dtype must be "F32" or "F16", got ${JSON.stringify(dtype)}`,
    );
  }
  const config = hfConfigOf(model, dtype);
  await Deno.mkdir(dir, { recursive: true });
  const files: Record<string, Uint8Array> = {};
  files["config.json"] = new TextEncoder().encode(JSON.stringify(config, null, 2) + "\n");
  const vocabPath = options.vocabPath === undefined ? DEFAULT_VOCAB_PATH : options.vocabPath;
  if (vocabPath !== null) {
    let vocab: Uint8Array;
    try {
      vocab = await Deno.readFile(vocabPath);
    } catch (e) {
      throw new Error(
        `saveCheckpoint: cannot read vocabulary ${vocabPath} (${
          (e as Error).message
        }); pass vocabPath or null`,
      );
    }
    const lines = new TextDecoder().decode(vocab).split("\n").filter((l, i, a) =>
      l !== "" || i < a.length - 1
    ).length;
    const vocabSize = (config as { vocab_size: number }).vocab_size;
    if (lines > vocabSize) {
      throw new RangeError(
        `saveCheckpoint: ${vocabPath} has ${lines} tokens ` +
          `but the model's vocab_size is ${vocabSize}`,
      );
    }
    files["vocab.txt"] = vocab;
  }
  for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(`${dir}/${name}`, bytes);
  await writeSafetensors(`${dir}/model.safetensors`, stateDictOf(model.params, dtype), {
    metadata: { format: "pt" },
  });
  const hashes: Record<string, string> = {};
  for (const name of [...Object.keys(files), "model.safetensors"].sort()) {
    hashes[name] = sha256Hex(await Deno.readFile(`${dir}/${name}`));
  }
  const { command, gitCommit, metrics, ...extra } = options.manifest ?? {};
  const manifest: CheckpointManifest = {
    ...extra,
    format: FORMAT,
    kind: model.kind,
    config: CODECS.has(model.kind) ? config : model.config as Record<string, unknown>,
    metrics: metrics ?? {},
    files: hashes,
    command: command ?? ["deno", "run", Deno.mainModule, ...Deno.args].join(" "),
    createdAt: new Date().toISOString(),
    gitCommit: gitCommit ?? null,
    dtype,
  };
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/**
 * Builds the BERT or BiLSTM model a checkpoint folder describes, after verifying every sha256 in
 * its manifest. Other kinds: `loadModel`.
 */
export async function loadCheckpoint(
  dir: string,
): Promise<{ model: BertModel | BiLstmClassifier; manifest: CheckpointManifest }> {
  const { model, manifest } = await loadModel(dir);
  if (model instanceof BertModel || model instanceof BiLstmClassifier) return { model, manifest };
  model.dispose();
  throw new TypeError(
    `Cannot load checkpoint ${dir} with loadCheckpoint: it holds a "${manifest.kind}" model; ` +
      "use loadModel (lib/models), which loads every registered kind",
  );
}

/** Builds the model of a checkpoint folder of any registered kind, after verifying its sha256s. */
export async function loadModel(
  dir: string,
): Promise<{ model: Classifier; manifest: CheckpointManifest }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  } catch (e) {
    throw new Error(
      `Cannot load checkpoint ${dir}: manifest.json unreadable (${(e as Error).message})`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TypeError(
      `Cannot load checkpoint ${dir}: invalid manifest.json (${
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
      })`,
    );
  }
  const manifest = parsed.data;
  for (const [name, want] of Object.entries(manifest.files)) {
    if (name.includes("/") || name.includes("\\") || name.startsWith(".")) {
      throw new Error(
        `Cannot load checkpoint ${dir}: manifest lists an unsafe file name ${JSON.stringify(name)}`,
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${dir}/${name}`);
    } catch {
      throw new Error(
        `Cannot load checkpoint ${dir}: ${name} is listed in manifest.json but missing`,
      );
    }
    const got = sha256Hex(bytes);
    if (got !== want) {
      throw new Error(
        `Cannot load checkpoint ${dir}: ${name} changed since it was saved ` +
          `(sha256 ${got}, manifest says ${want})`,
      );
    }
  }
  for (const needed of ["config.json", "model.safetensors"]) {
    if (!(needed in manifest.files)) {
      throw new Error(`Cannot load checkpoint ${dir}: manifest.json does not list ${needed}`);
    }
  }
  const config = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  const where = `${dir}/model.safetensors`;
  const { tensors } = await readSafetensors(where);
  let params: Map<string, tf.Variable>;
  if (manifest.kind !== "bert" && manifest.kind !== "bilstm") {
    const codec = CODECS.get(manifest.kind);
    if (!codec) {
      throw new TypeError(
        `Cannot load checkpoint ${dir}: model kind "${manifest.kind}" is not registered ` +
          `(known: ${knownKinds()}); import the area that defines it (searched students: ` +
          "lib/search_space/tfjs.ts)",
      );
    }
    const model = codec.build(config, `${dir}/config.json`);
    try {
      assignFromStateDict(model.params, tensors, model.params.keys(), where);
      return { model, manifest };
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  if (manifest.kind === "bert") {
    const cfg = parseBertConfig(config, `${dir}/config.json`);
    const heads = {
      classifier: tensors.has("classifier.weight"),
      mlm: tensors.has("cls.predictions.bias"),
    };
    const specs = bertParamSpecs(cfg, heads);
    params = createParams(
      specs.map((s) => ({ ...s, init: "zeros" as const, zeroRow: undefined })),
      { seed: 0, std: 0 },
    );
    try {
      assignFromStateDict(params, tensors, specs.map((s) => s.name), where);
      return { model: new BertModel(cfg, params, heads), manifest };
    } catch (e) {
      disposeParams(params);
      throw e;
    }
  }
  const cfg = parseBiLstmConfig(config, `${dir}/config.json`);
  const specs = biLstmParamSpecs(cfg);
  params = createParams(specs.map((s) => ({ ...s, init: "zeros" as const, zeroRow: undefined })), {
    seed: 0,
    std: 0,
  });
  try {
    assignFromStateDict(params, tensors, specs.map((s) => s.name), where);
    return { model: new BiLstmClassifier(cfg, params), manifest };
  } catch (e) {
    disposeParams(params);
    throw e;
  }
}
