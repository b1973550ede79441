/**
 * Loads a user's Hugging Face BERT folder (`config.json`, `model.safetensors`, optional
 * `vocab.txt`) into a BertModel. Accepts:
 * - names with or without the `bert.` prefix (BertModel vs BertFor* checkpoints);
 * - the old `LayerNorm.gamma` / `LayerNorm.beta` names;
 * - F32, F16 and BF16 tensors (converted to float32);
 * - a missing pooler / classifier (task "classifier") or MLM head (task "mlm"): initialised from
 *   `seed` as HF would and listed in the report; a classifier whose label count differs from
 *   `numLabels` is re-initialised and reported (HF `ignore_mismatched_sizes`).
 * Ignored and reported as unexpected: tensors the task does not use (e.g. `cls.seq_relationship.*`,
 * `bert.embeddings.position_ids`, the tied `cls.predictions.decoder.*`). A missing embedding or
 * encoder tensor is an error (the model would be untrained). Only `model.safetensors` is read;
 * `pytorch_model.bin` (pickle) is not supported: convert it with HF first.
 */
import type * as tf from "@tensorflow/tfjs";
import { BertModel, bertParamSpecs } from "./bert.ts";
import { parseBertConfig } from "./config.ts";
import { createParams, disposeParams } from "./_params.ts";
import { readSafetensors, type StoredTensor } from "./safetensors.ts";
import { assignFromStateDict } from "./_state_dict.ts";
import { externalShape } from "./_layout.ts";

export interface HfLoadReport {
  /** Parameters absent from the file (or mismatched classifier) and initialised from the seed. */
  initialised: string[];
  /** Tensors in the file the model does not use (original names). */
  unexpected: string[];
  /** Original name -> canonical name for every renamed tensor. */
  renamed: Record<string, string>;
  /** Tokens in vocab.txt (null if absent) and whether that fits vocab_size. */
  vocabTokens: number | null;
  warnings: string[];
}

export interface LoadHfOptions {
  /** "classifier" (pooler + classifier, default) or "mlm" (masked-LM head). */
  task?: "classifier" | "mlm";
  /** Seed for parameters the file lacks (default 0). */
  seed?: number;
  /** Label count; defaults to config.json's num_labels / id2label (HF default 2). */
  numLabels?: number;
}

/** HF name variants -> the canonical BertFor* name. */
export function canonicalHfName(name: string): string {
  let n = name.replace(/LayerNorm\.gamma$/, "LayerNorm.weight").replace(
    /LayerNorm\.beta$/,
    "LayerNorm.bias",
  );
  if (/^(embeddings|encoder|pooler)\./.test(n)) n = `bert.${n}`;
  return n;
}

export async function loadHuggingFaceBert(
  dir: string,
  options: LoadHfOptions = {},
): Promise<{ model: BertModel; report: HfLoadReport }> {
  const task = options.task ?? "classifier";
  if (task !== "classifier" && task !== "mlm") {
    throw new RangeError(
      `loadHuggingFaceBert: task must be "classifier" or "mlm", got ${JSON.stringify(task)}`,
    );
  }
  let rawConfig: Record<string, unknown>;
  try {
    rawConfig = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  } catch (e) {
    throw new Error(
      `Cannot load Hugging Face BERT ${dir}: config.json unreadable (${(e as Error).message})`,
    );
  }
  if (rawConfig.model_type !== undefined && rawConfig.model_type !== "bert") {
    throw new TypeError(
      `Cannot load ${dir}/config.json: model_type is ${
        JSON.stringify(rawConfig.model_type)
      }, only "bert" is supported`,
    );
  }
  const config = parseBertConfig(
    options.numLabels === undefined ? rawConfig : { ...rawConfig, num_labels: options.numLabels },
    `${dir}/config.json`,
  );
  const where = `${dir}/model.safetensors`;
  const { tensors: rawTensors } = await readSafetensors(where);

  const report: HfLoadReport = {
    initialised: [],
    unexpected: [],
    renamed: {},
    vocabTokens: null,
    warnings: [],
  };
  const heads = { classifier: task === "classifier", mlm: task === "mlm" };
  const specs = bertParamSpecs(config, heads);
  const wanted = new Set(specs.map((s) => s.name));
  const tensors = new Map<string, StoredTensor>();
  for (const [orig, t] of rawTensors) {
    const name = canonicalHfName(orig);
    if (name !== orig) report.renamed[orig] = name;
    if (!wanted.has(name)) {
      report.unexpected.push(orig);
      continue;
    }
    if (tensors.has(name)) {
      throw new RangeError(`${where}: tensors "${orig}" and another name both map to "${name}"`);
    }
    tensors.set(name, t);
  }
  const optionalPrefix = task === "classifier"
    ? /^(bert\.pooler\.|classifier\.)/
    : /^cls\.predictions\./;
  const missingCore = specs.filter((s) => !tensors.has(s.name) && !optionalPrefix.test(s.name)).map(
    (s) => s.name,
  );
  if (missingCore.length) {
    throw new RangeError(
      `Cannot load ${where}: ${missingCore.length} encoder tensors missing (${
        missingCore.slice(0, 5).join(", ")
      }${missingCore.length > 5 ? ", ..." : ""})`,
    );
  }
  for (const name of ["classifier.weight", "classifier.bias"]) {
    const t = tensors.get(name);
    const spec = specs.find((s) => s.name === name);
    if (t && spec && t.shape.join() !== externalShape(name, spec.shape).join()) {
      if (options.numLabels === undefined) {
        throw new RangeError(
          `${where}: tensor "${name}" has shape [${t.shape}] ` +
            `but config has num_labels ${config.num_labels}; ` +
            "pass numLabels to re-initialise the classifier",
        );
      }
      report.warnings.push(
        `${name} has shape [${t.shape}], re-initialised for ${config.num_labels} labels`,
      );
      tensors.delete(name);
    }
  }
  const params: Map<string, tf.Variable> = createParams(specs, {
    seed: options.seed ?? 0,
    std: config.initializer_range,
  });
  try {
    const present = specs.map((s) => s.name).filter((n) => tensors.has(n));
    report.initialised = specs.map((s) => s.name).filter((n) => !tensors.has(n));
    assignFromStateDict(params, tensors, present, where);
    const model = new BertModel(config, params, heads);
    try {
      const text = await Deno.readTextFile(`${dir}/vocab.txt`);
      report.vocabTokens = text.split("\n").filter((l, i, a) =>
        l !== "" || i < a.length - 1
      ).length;
      if (report.vocabTokens > config.vocab_size) {
        report.warnings.push(
          `vocab.txt has ${report.vocabTokens} tokens, more than vocab_size ${config.vocab_size}`,
        );
      }
    } catch {
      report.warnings.push("no vocab.txt in the folder");
    }
    return { model, report };
  } catch (e) {
    disposeParams(params);
    throw e;
  }
}
