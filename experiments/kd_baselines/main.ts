/**
 * `deno task kd-baselines`: the hand-designed KD baselines of the RoSearch paper (BERT-PKD,
 * TinyBERT, DistilBERT, BiLSTM; one config file each in baselines/) distilled from the project's
 * teacher on SST-2 train minus the held-out part (lib/data heldOutSplit, 2000 examples, seed 13:
 * the teacher's model-selection set, used here for the students' model selection too), then
 * evaluated once on SST-2 dev. Each baseline records a run (runs/kd_baselines/<runId>/) and, when
 * under 25 MB in half precision, a checkpoint in experiments/kd_baselines/results/<name>/; the
 * table goes to experiments/kd_baselines/results/table.md and table.json (with `--only`, the
 * earlier table's other rows are kept when it has the same teacher).
 *
 * Teacher targets: logits (and the [CLS] states PKD needs) come from the teacher-output cache
 * (lib/distill buildTeacherCache over all of the training part, built once, reused afterwards);
 * TinyBERT (attention maps) and DistilBERT (every token's last hidden state) run the live teacher.
 *
 * Default budget: each baseline's `defaultMaxSteps` at batch 32 (baselines/*.ts): pkd 600,
 * tinybert 800, distilbert 500, bilstm 1500 (one epoch = 2043 steps). Measured on real SST-2
 * batches (mean 13.7 tokens) with a teacher of the default size, on this 2-core machine while two
 * teacher trainings ran (so about half a core each): mean ms/step pkd 634, tinybert 462,
 * distilbert 778 (both live-teacher ones include the teacher's forward), bilstm 217, and the
 * teacher-output cache 11 ms per example (65,349 examples, built once, then reused): about 24 min
 * of updates + 12 min of cache + 2 min of evaluations under that load, i.e. about 20 minutes on a
 * free core (the cache is reused on later runs: about 14 minutes).
 * `--quick`: a tiny CI run (96 training examples, 3 steps each, dev subset), under 2 minutes;
 * its table goes to results/quick/ unless --results is given.
 *
 * Usage: deno task kd-baselines [--teacher DIR] [--only pkd,tinybert] [--epochs N | --max-steps N]
 *          [--seed 0] [--quick] [--results DIR] [--runs-root DIR] [--cache-root DIR]
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/mod.ts";
import { bucketBatches, createBertTokenizer, heldOutSplit, loadSplit } from "../../lib/data/mod.ts";
import { BertModel, loadCheckpoint } from "../../lib/models/mod.ts";
import {
  DEFAULT_TEACHER_DIR,
  heldOutOf,
  LEGACY_TOKENIZER_PREFIXES,
  tokenizerId,
} from "../../lib/project/mod.ts";
import {
  buildTeacherCache,
  DEFAULT_CACHE_ROOT,
  evaluateAccuracy,
  hashExamples,
  sha256File,
  type TeacherCache,
  teacherCacheKey,
  type TeacherCacheKeyParts,
} from "../../lib/distill/mod.ts";
import {
  CACHE_ROOT,
  commandLine,
  formatSeconds,
  PROJECT_ROOT,
  RUNS_ROOT,
} from "../_shared/project.ts";
import { installCli, parseCliArgs } from "../_shared/cli.ts";
import { BASELINES, selectBaselines } from "../../lib/distill/mod.ts";
import { checkKdMode, type KdMode } from "../../lib/pipeline/mod.ts";
import { runBaseline } from "./run_baseline.ts";
import { mergeTables, readTable, type Table, type TableRow, toText, writeTable } from "./table.ts";

/** The teacher's held-out model-selection split (lib/project, shared with every task). */
export const HELD_OUT = heldOutOf("sst2");
export const DEFAULT_TEACHER = DEFAULT_TEACHER_DIR;
export const DEFAULT_RESULTS = `${PROJECT_ROOT}experiments/kd_baselines/results`;
const QUICK = { train: 96, validation: 64, dev: 128, steps: 3 } as const;

export interface KdOptions {
  teacherDir: string;
  /** Baseline names; all when absent. */
  only?: string[];
  epochs?: number;
  maxSteps?: number;
  quick: boolean;
  seed: number;
  batchSize: number;
  maxLength: number;
  resultsDir: string;
  runsRoot: string;
  cacheRoot: string;
  /** Robust KD (lib/pipeline kd_mode.ts); "plain" by default. */
  kd: KdMode;
}

const HELP =
  `deno task kd-baselines [--teacher DIR] [--only a,b] [--epochs N | --max-steps N] [--seed 0]
  [--quick] [--batch-size 32] [--max-length 64] [--results DIR] [--runs-root DIR] [--cache-root DIR]
  [--kd plain|random-token|embedding-pgd|mate]
--kd: robust KD, a perturbation term added to each baseline's own objective (live teacher;
  results in <results>/kd_<mode>/ unless --results is given).
baselines:\n${
    BASELINES.map((b) => `  ${b.name.padEnd(11)} ${b.style}, ${b.defaultMaxSteps} steps`).join("\n")
  }`;

/** Parses the command line; numbers are checked, unknown flags throw. */
export function parseKdArgs(args: string[]): KdOptions | "help" {
  const { values: a } = parseCliArgs(
    {
      teacher: { type: "string", default: DEFAULT_TEACHER },
      only: { type: "string" },
      epochs: { type: "string" },
      "max-steps": { type: "string" },
      seed: { type: "string", default: "0" },
      "batch-size": { type: "string", default: "32" },
      "max-length": { type: "string", default: "64" },
      quick: { type: "boolean", default: false },
      results: { type: "string" },
      "runs-root": { type: "string", default: RUNS_ROOT },
      "cache-root": { type: "string", default: `${CACHE_ROOT}/teacher_outputs` },
      kd: { type: "string", default: "plain" },
    },
    args,
  );
  if (a.help) return "help";
  const kd = checkKdMode(a.kd, "--kd");
  const int = (k: "epochs" | "max-steps" | "seed" | "batch-size" | "max-length", min: number) => {
    const raw = a[k];
    if (raw === undefined) return undefined;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`--${k} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
    }
    return v;
  };
  const only = a.only?.split(",").map((s) => s.trim()).filter(Boolean);
  if (only) selectBaselines(only); // validates the names
  return {
    teacherDir: a.teacher!,
    only,
    epochs: int("epochs", 1),
    maxSteps: int("max-steps", 1),
    quick: a.quick!,
    seed: int("seed", 0)!,
    batchSize: int("batch-size", 1)!,
    maxLength: int("max-length", 8)!,
    // a quick run never overwrites the real table
    resultsDir: a.results ??
      `${DEFAULT_RESULTS}${a.quick ? "/quick" : ""}${kd === "plain" ? "" : `/kd_${kd}`}`,
    runsRoot: a["runs-root"]!,
    cacheRoot: a["cache-root"]!,
    kd,
  };
}

const rel = (p: string) => p.startsWith(PROJECT_ROOT) ? p.slice(PROJECT_ROOT.length) : p;

/** Runs the selected baselines and writes the table; returns it. */
export async function runKdBaselines(
  o: KdOptions,
  log: (line: string) => void = console.log,
): Promise<Table> {
  const started = performance.now();
  const baselines = selectBaselines(o.only);
  const backend = await initBackend();
  log(`backend ${backend.backend} (${backend.reason})`);
  const loaded = await loadCheckpoint(o.teacherDir);
  if (!(loaded.model instanceof BertModel)) {
    loaded.model.dispose();
    throw new TypeError(
      `kd-baselines: the teacher ${o.teacherDir} is a ${loaded.model.kind} checkpoint; ` +
        "a BERT classifier is needed",
    );
  }
  const teacher = loaded.model;
  const teacherParams = teacher.countParams();
  const tokenizer = await createBertTokenizer();
  const maxLength = o.maxLength;

  // ---- data: SST-2 train minus the teacher's held-out part; dev for the final evaluation ----
  const train = await loadSplit("sst2", "train");
  const split = heldOutSplit(train, HELD_OUT);
  const trainSet = o.quick ? split.train.slice(0, QUICK.train) : split.train;
  const validationSet = o.quick ? split.validation.slice(0, QUICK.validation) : split.validation;
  const devAll = await loadSplit("sst2", "dev");
  const devSet = o.quick ? devAll.slice(0, QUICK.dev) : devAll;
  const evalBatches = (xs: typeof trainSet, len: number) =>
    bucketBatches(xs, tokenizer, { batchSize: 64, maxLength: len, shuffle: false });
  const validation = evalBatches(validationSet, maxLength);
  const dev = evalBatches(devSet, 128);

  try {
    // ---- teacher reference accuracy (from its manifest when it was measured the same way) ----
    const recorded = loaded.manifest.metrics.sst2DevAccuracy;
    const teacherDev = !o.quick && typeof recorded === "number"
      ? recorded
      : evaluateAccuracy(teacher, dev);

    // ---- teacher-output cache: one build serves every "cache" baseline ----
    let cache: TeacherCache | null = null;
    let cacheNote = "not needed";
    // robust KD trains every baseline from the live teacher: no cache then
    if (o.kd === "plain" && baselines.some((b) => b.teacher.source === "cache")) {
      // the union over ALL registered baselines, so --only does not change the cache key
      const clsLayers = [
        ...new Set(
          BASELINES.flatMap((b) => b.teacher.source === "cache" ? b.teacher.clsLayers : []),
        ),
      ].filter((l) => l <= teacher.config.num_hidden_layers).sort((x, y) => x - y);
      const t0 = performance.now();
      const teacherSha = loaded.manifest.files["model.safetensors"] ??
        sha256File(`${o.teacherDir}/model.safetensors`);
      const keyParts: TeacherCacheKeyParts = {
        teacherSha256: teacherSha,
        tokenizer: tokenizerId(),
        maxLength,
        split: o.quick
          ? `sst2/train-minus-heldout(${HELD_OUT.size},${HELD_OUT.seed})[:${QUICK.train}]`
          : `sst2/train-minus-heldout(${HELD_OUT.size},${HELD_OUT.seed})`,
        examplesSha256: hashExamples(trainSet),
      };
      const hidden = clsLayers.length > 0
        ? { layers: clsLayers, pooling: "cls" as const }
        : undefined;
      noteLegacyCache(keyParts, hidden, o.cacheRoot ?? DEFAULT_CACHE_ROOT, log);
      cache = buildTeacherCache(
        teacher,
        bucketBatches(trainSet, tokenizer, { batchSize: 128, maxLength, shuffle: false }),
        {
          keyParts,
          numExamples: trainSet.length,
          hidden,
          root: o.cacheRoot,
          onProgress: (done, total) => {
            if (done % 12800 < 128 || done === total) log(`  teacher cache ${done}/${total}`);
          },
        },
      );
      const s = (performance.now() - t0) / 1000;
      cacheNote =
        `${cache.built ? "built" : "reused"} in ${formatSeconds(s)} (${trainSet.length} ` +
        `examples, logits + [CLS] of teacher layers ${clsLayers.join(", ") || "none"}; ${
          rel(cache.dir)
        })`;
      log(`teacher-output cache ${cacheNote}`);
    }

    const command = commandLine("kd-baselines");
    // Per row: the command that reruns this baseline alone (same flags, --only <name>).
    const rest: string[] = [];
    for (let i = 0; i < Deno.args.length; i++) {
      const arg = Deno.args[i];
      if (arg === "--only") i++;
      else if (!arg.startsWith("--only=")) rest.push(arg);
    }
    const rowCommand = (name: string) =>
      ["deno task kd-baselines", `--only ${name}`, ...rest].join(" ");
    const settings = {
      quick: o.quick,
      heldOut: HELD_OUT,
      trainExamples: trainSet.length,
      validationExamples: validationSet.length,
      devExamples: devSet.length,
      maxLength,
      teacherParams,
      teacherDevAccuracy: teacherDev,
    };
    const rows: TableRow[] = [];
    for (const baseline of baselines) {
      const maxSteps = o.quick
        ? QUICK.steps
        : o.maxSteps ?? (o.epochs === undefined ? baseline.defaultMaxSteps : undefined);
      rows.push(
        await runBaseline(baseline, {
          teacher,
          cache,
          train: trainSet,
          validation,
          dev,
          tokenizer,
          backend,
          teacherDir: o.teacherDir,
          resultsDir: o.resultsDir,
          runsRoot: o.runsRoot,
          command: rowCommand(baseline.name),
          settings: { ...settings, fullCommand: command },
        }, {
          seed: o.seed,
          maxSteps,
          epochs: o.quick ? undefined : o.epochs,
          batchSize: o.batchSize,
          maxLength,
          evaluations: o.quick ? 1 : 4,
          kd: o.kd,
          log,
        }),
      );
    }
    const total = (performance.now() - started) / 1000;
    const stepsPerEpoch = Math.ceil(trainSet.length / o.batchSize);
    const budget = (o.kd === "plain" ? "" : `robust KD ${o.kd} (live teacher); `) +
      (o.quick
        ? `quick (CI): ${QUICK.steps} steps each on ${QUICK.train} examples`
        : o.maxSteps !== undefined
        ? `--max-steps ${o.maxSteps} each`
        : o.epochs !== undefined
        ? `--epochs ${o.epochs} each`
        : `default: ${
          baselines.map((b) => `${b.name} ${b.defaultMaxSteps}`).join(", ")
        } steps (one epoch = ${stepsPerEpoch} steps)${
          o.only ? "" : ", about 25 minutes in total on one core"
        }`);
    const table: Table = {
      header: [
        `Teacher: ${rel(o.teacherDir)} (${teacherParams.toLocaleString("en-US")} parameters, ` +
        `SST-2 dev accuracy ${(100 * teacherDev).toFixed(2)}%).`,
        `Data: SST-2 train minus the held-out ${validationSet.length} (heldOutSplit size ` +
        `${HELD_OUT.size}, seed ${HELD_OUT.seed}; model selection) = ` +
        `${trainSet.length} examples; ` +
        `dev = ${devSet.length} examples; max length ${maxLength}, ` +
        `batch ${o.batchSize}, seed ${o.seed}.`,
        `Budget: ${budget}. Total wall time ${formatSeconds(total)} (${backend.backend}${
          backend.threads ? `, ${backend.threads} thread(s)` : ""
        }).`,
        `Teacher-output cache: ${cacheNote}.`,
        `Training time includes the held-out evaluations; ms/step is the update alone. ` +
        `Compression = teacher parameters / student parameters (countParams(), every ` +
        `${teacher.config.vocab_size}-row word table included, factorised ones with their ` +
        `projection; training-only projections excluded).`,
      ],
      rows,
    };
    let written = table;
    if (o.only && !o.quick) {
      // --only: keep the earlier table's other rows (same teacher only)
      const earlier = await readTable(o.resultsDir);
      const note = `Rerun ${new Date().toISOString().slice(0, 10)} with \`--only ${
        o.only.join(",")
      }\` (rows ${o.only.join(", ")}): ${budget}; wall time ${formatSeconds(total)}.`;
      const merged = earlier &&
        mergeTables(earlier, table, BASELINES.map((b) => b.name), note);
      if (merged) written = merged;
      else if (earlier) {
        log("note: the earlier table has another teacher; it is replaced, not merged");
      }
    }
    await writeTable(written, o.resultsDir);
    log("\n" + toText(written));
    log(
      `\ntable written to ${rel(o.resultsDir)}/table.md (tensors alive: ${tf.memory().numTensors})`,
    );
    return table;
  } finally {
    teacher.dispose();
  }
}

if (import.meta.main) {
  installCli("kd-baselines", HELP);
  const parsed = parseKdArgs(Deno.args);
  if (parsed === "help") {
    console.log(HELP);
    Deno.exit(0);
  }
  await runKdBaselines(parsed);
}

/**
 * Says so when the cache under lib/project's one tokenizer id is missing but an entry built
 * under an older spelling of the same vocabulary exists (it is rebuilt under the new key once).
 */
function noteLegacyCache(
  keyParts: TeacherCacheKeyParts,
  hidden: Parameters<typeof teacherCacheKey>[1],
  root: string,
  log: (line: string) => void,
): void {
  const exists = (key: string) => {
    try {
      return Deno.statSync(`${root}/${key}`).isDirectory;
    } catch {
      return false;
    }
  };
  if (exists(teacherCacheKey(keyParts, hidden))) return;
  const sha = keyParts.tokenizer.slice(keyParts.tokenizer.indexOf(":") + 1);
  for (const prefix of LEGACY_TOKENIZER_PREFIXES) {
    const old = teacherCacheKey({ ...keyParts, tokenizer: `${prefix}${sha}` }, hidden);
    if (exists(old)) {
      log(
        "  teacher cache: an entry for this teacher and vocabulary exists " +
          "under the old tokenizer " +
          `id "${prefix}…" (${root}/${old}); rebuilding it once under "${
            keyParts.tokenizer.slice(0, 20)
          }…" ` +
          "(the old entry is no longer read and can be deleted)",
      );
    }
  }
}
