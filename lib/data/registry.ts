/**
 * One typed table of every bundled data set, and `loadDataset` / `loadSplit` over it.
 * Unknown names and splits are reported with the valid ones.
 */
import type { Example } from "./types.ts";
import type { LoaderOptions } from "./_files.ts";
import { loadSst2 } from "./sst2.ts";
import { loadMrSplits } from "./mr.ts";
import { loadMrpc } from "./mrpc.ts";
import { type AmazonDomain, loadAmazonSplits } from "./amazon.ts";
import { loadTrecSplits, TREC_LABELS } from "./trec.ts";
import { loadSubjSplits, SUBJ_LABELS } from "./subj.ts";
import { loadTextFooler, TEXTFOOLER_LABEL_NAMES, type TextFoolerSet } from "./textfooler.ts";

export type SplitName = "train" | "dev" | "test";

/** What a data set is, without loading it. */
export interface DatasetInfo {
  name: DatasetName;
  /** `single` sentence or sentence `pair` (`textB` set). */
  task: "single" | "pair";
  numLabels: number;
  /** Label names, index = label. */
  labelNames: readonly string[];
  /** The splits that exist. */
  splits: readonly SplitName[];
  description: string;
}

export interface LoadOptions extends LoaderOptions {
  /** MR only: seed of the documented split (default `MR_SPLIT_SEED`). */
  splitSeed?: number;
  /**
   * MR only: drop TextFooler's `textfooler/mr` attack sentences from every split
   * (default false).
   */
  excludeAttackSet?: boolean;
  /** TextFooler single-sentence sets only: apply TextFooler's `clean_str` (default false). */
  clean?: boolean;
}

export interface LoadedDataset {
  name: DatasetName;
  info: DatasetInfo;
  splits: Partial<Record<SplitName, Example[]>>;
}

const SENTIMENT = ["negative", "positive"] as const;

function tf(name: TextFoolerSet, what: string): Omit<DatasetInfo, "name"> {
  const pair = name === "snli" || name.startsWith("mnli");
  return {
    task: pair ? "pair" : "single",
    numLabels: TEXTFOOLER_LABEL_NAMES[name].length,
    labelNames: TEXTFOOLER_LABEL_NAMES[name],
    splits: ["test"],
    description: `TextFooler's 1,000-example attack set: ${what}`,
  };
}

function amazon(domain: AmazonDomain): Omit<DatasetInfo, "name"> {
  return {
    task: "single",
    numLabels: 2,
    labelNames: SENTIMENT,
    splits: ["train", "dev", "test"],
    description:
      `Amazon ${domain} reviews (Blitzer et al. 2007), our stratified 1,400/200/400 split`,
  };
}

const TABLE = {
  sst2: {
    task: "single",
    numLabels: 2,
    labelNames: SENTIMENT,
    splits: ["train", "dev"],
    description: "GLUE SST-2 sentiment: train 67,349, dev 872 (GLUE test labels are hidden)",
  },
  mr: {
    task: "single",
    numLabels: 2,
    labelNames: SENTIMENT,
    splits: ["train", "dev", "test"],
    description:
      "Movie Review polarity (Pang & Lee 2005), our deterministic 8,530/1,066/1,066 split",
  },
  mrpc: {
    task: "pair",
    numLabels: 2,
    labelNames: ["not_paraphrase", "paraphrase"],
    splits: ["train", "dev"],
    description: "GLUE MRPC paraphrase pairs: train 3,668, dev 408 (GLUE test labels are hidden)",
  },
  trec: {
    task: "single",
    numLabels: 6,
    labelNames: TREC_LABELS,
    splits: ["train", "dev", "test"],
    description: "TREC-6 question types (Li & Roth 2002): our 4,907/545 split of train, test 500",
  },
  subj: {
    task: "single",
    numLabels: 2,
    labelNames: SUBJ_LABELS,
    splits: ["train", "dev", "test"],
    description: "Subjectivity (Pang & Lee 2004): our deterministic 8,000/1,000/1,000 split",
  },
  "amazon/books": amazon("books"),
  "amazon/dvd": amazon("dvd"),
  "amazon/electronics": amazon("electronics"),
  "amazon/kitchen": amazon("kitchen"),
  "textfooler/mr": tf("mr", "MR sentiment"),
  "textfooler/imdb": tf("imdb", "IMDB sentiment (long reviews)"),
  "textfooler/yelp": tf("yelp", "Yelp polarity"),
  "textfooler/ag": tf("ag", "AG News topics (4 classes)"),
  "textfooler/snli": tf("snli", "SNLI premise/hypothesis"),
  "textfooler/mnli_matched": tf("mnli_matched", "MNLI matched premise/hypothesis"),
  "textfooler/mnli_mismatched": tf("mnli_mismatched", "MNLI mismatched premise/hypothesis"),
} as const satisfies Record<string, Omit<DatasetInfo, "name">>;

export type DatasetName = keyof typeof TABLE;
export const DATASET_NAMES: readonly DatasetName[] = Object.keys(TABLE) as DatasetName[];

function checkName(name: string): DatasetName {
  if (!Object.hasOwn(TABLE, name)) {
    throw new RangeError(
      `Unknown data set ${JSON.stringify(name)}; valid: ${DATASET_NAMES.join(", ")}`,
    );
  }
  return name as DatasetName;
}

/** Describes a data set without loading it. */
export function datasetInfo(name: string): DatasetInfo {
  const n = checkName(name);
  return { name: n, ...TABLE[n] };
}

/**
 * The input column names of a data set, as attacks report them (TextAttack's
 * `column_labels`): `["text"]` for single sentences, `["premise", "hypothesis"]` for NLI pairs,
 * `["sentence1", "sentence2"]` for other pairs.
 */
export function columnLabelsOf(name: string): string[] {
  const info = datasetInfo(name);
  if (info.task === "single") return ["text"];
  return /snli|mnli/.test(info.name) ? ["premise", "hypothesis"] : ["sentence1", "sentence2"];
}

/** Loads every split of a data set. */
export async function loadDataset(name: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const info = datasetInfo(name);
  const splits: Partial<Record<SplitName, Example[]>> = {};
  if (info.name === "mr") {
    Object.assign(splits, await loadMrSplits(options));
  } else if (info.name === "trec") {
    Object.assign(splits, await loadTrecSplits(options));
  } else if (info.name === "subj") {
    Object.assign(splits, await loadSubjSplits(options));
  } else if (info.name.startsWith("amazon/")) {
    Object.assign(splits, await loadAmazonSplits(info.name.slice(7) as AmazonDomain, options));
  } else {
    for (const split of info.splits) splits[split] = await loadSplit(info.name, split, options);
  }
  return { name: info.name, info, splits };
}

/** Loads one split of a data set. */
export async function loadSplit(
  name: string,
  split: SplitName,
  options: LoadOptions = {},
): Promise<Example[]> {
  const info = datasetInfo(name);
  if (!info.splits.includes(split)) {
    throw new RangeError(
      `Data set ${info.name} has no split ${JSON.stringify(split)}; valid: ${
        info.splits.join(", ")
      }`,
    );
  }
  switch (info.name) {
    case "sst2":
      return await loadSst2(split as "train" | "dev", options);
    case "mrpc":
      return await loadMrpc(split as "train" | "dev", options);
    case "mr":
      return (await loadMrSplits(options))[split];
    case "trec":
      return (await loadTrecSplits(options))[split];
    case "subj":
      return (await loadSubjSplits(options))[split];
    case "amazon/books":
    case "amazon/dvd":
    case "amazon/electronics":
    case "amazon/kitchen":
      return (await loadAmazonSplits(info.name.slice(7) as AmazonDomain, options))[split];
    default:
      return await loadTextFooler(info.name.slice("textfooler/".length) as TextFoolerSet, options);
  }
}
