/**
 * `deno task wordvectors`: rebuilds data/wordvec/ from the bundled text, deterministically from
 * the seeds (lib/wordvec/build.ts: corpus → skip-gram → counter-fitting), then evaluates the
 * vectors (evaluate.ts) and writes data/wordvec/README.md and build.json.
 *
 *   deno task wordvectors            rebuild words.txt, skipgram.safetensors, vectors.safetensors
 *   deno task wordvectors --check    rebuild into runs/wordvec_check/<time>/ and compare the
 *                                    sha256 of those three files with data/wordvec's (exit 1 on a
 *                                    difference; the folder is removed when they match)
 *   --no-eval                        skip the evaluation (README without it)
 *   --readme-only                    no rebuild: rerun the evaluation and rewrite README.md from
 *                                    data/wordvec/build.json
 *   --out DIR --dim N --epochs N     a trial build elsewhere (skip-gram dim / epochs changed);
 *                                    not with --check
 *
 * Plain TypeScript, one thread (Hogwild workers are not bit-reproducible), no tfjs except the
 * evaluation's teacher table; nothing to install beyond Deno.
 */
import { parseCli, UsageError } from "../_shared/cli.ts";
import { join } from "node:path";
import { sha256Hex } from "../../lib/data/mod.ts";
import {
  buildWordVectors,
  DEFAULT_SETTINGS,
  DEFAULT_WORDVEC_DIR,
  formatWords,
  serializeVectors,
  SKIPGRAM_FILE,
  VECTORS_FILE,
  WORDS_FILE,
  type WordVecBuild,
} from "../../lib/wordvec/mod.ts";
import { readGitInfo } from "../../lib/track/mod.ts";
import {
  commandLine,
  formatSeconds,
  PROJECT_ROOT,
  relativeToProject,
  RUNS_ROOT,
} from "../_shared/project.ts";
import { evaluateWordVectors } from "./evaluate.ts";
import { type BuildManifest, renderReadme } from "./readme.ts";

export const BUILT_FILES: readonly string[] = [WORDS_FILE, SKIPGRAM_FILE, VECTORS_FILE];

/** Metadata stored in both safetensors files (no times: the bytes must not change). */
export function vectorMetadata(build: WordVecBuild, stage: string): Record<string, string> {
  const s = build.settings;
  return {
    stage,
    dim: String(s.skipGram.dim),
    skipGram: JSON.stringify(s.skipGram),
    counterFit: JSON.stringify(s.counterFit),
    minCount: String(s.minCount),
    minPairWordCount: String(s.minPairWordCount),
    heldOut: String(s.heldOut),
    heldOutSeed: String(s.heldOutSeed),
  };
}

/** The three files' bytes. */
export function filesOf(build: WordVecBuild): Map<string, Uint8Array> {
  const rows = build.vocab.words.length;
  return new Map([
    [WORDS_FILE, new TextEncoder().encode(formatWords(build.vocab.words, build.vocab.counts))],
    [
      SKIPGRAM_FILE,
      serializeVectors(build.skipGram, {
        rows,
        metadata: vectorMetadata(build, "skip-gram, mean-centred"),
      }),
    ],
    [
      VECTORS_FILE,
      serializeVectors(build.counterFitted, {
        rows,
        metadata: vectorMetadata(build, "counter-fitted"),
      }),
    ],
  ]);
}

async function main(): Promise<number> {
  const { values } = parseCli({
    task: "wordvectors",
    usage:
      "deno task wordvectors [--check] [--no-eval] [--readme-only] [--out DIR --dim N --epochs N]",
    options: {
      check: { type: "boolean", default: false },
      "no-eval": { type: "boolean", default: false },
      "readme-only": { type: "boolean", default: false },
      out: { type: "string" },
      dim: { type: "string" },
      epochs: { type: "string" },
    },
  });
  const trial = values.out !== undefined || values.dim !== undefined ||
    values.epochs !== undefined;
  if (values.check && trial) {
    throw new UsageError(
      "--check rebuilds the shipped settings: it takes no --out, --dim, --epochs",
    );
  }
  const settings = structuredClone(DEFAULT_SETTINGS);
  for (const [flag, key] of [["dim", "dim"], ["epochs", "epochs"]] as const) {
    const v = values[flag];
    if (v === undefined) continue;
    if (!/^[1-9][0-9]*$/.test(v)) {
      throw new RangeError(`--${flag} must be a positive integer, got ${v}`);
    }
    settings.skipGram[key] = Number(v);
  }
  if (values["readme-only"]) {
    const dir = values.out ?? DEFAULT_WORDVEC_DIR;
    const manifest = JSON.parse(
      await Deno.readTextFile(join(dir, "build.json")),
    ) as BuildManifest;
    const evaluation = values["no-eval"] ? undefined : await evaluateWordVectors({ dir });
    await Deno.writeTextFile(join(dir, "README.md"), renderReadme(manifest, evaluation));
    console.log(`wrote ${relativeToProject(join(dir, "README.md"))} from build.json`);
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const outDir = values.check
    ? join(RUNS_ROOT, "wordvec_check", stamp)
    : values.out ?? DEFAULT_WORDVEC_DIR;
  const t0 = performance.now();
  const log = (line: string) =>
    console.log(`[${formatSeconds((performance.now() - t0) / 1000)}] ${line}`);
  log(`building into ${relativeToProject(outDir)}`);
  const build = await buildWordVectors({ settings, log });
  for (const w of build.corpus.warnings) console.warn(`warning: ${w}`);
  await Deno.mkdir(outDir, { recursive: true });
  const sums: Record<string, string> = {};
  const sizes: Record<string, number> = {};
  for (const [name, bytes] of filesOf(build)) {
    await Deno.writeFile(join(outDir, name), bytes);
    sums[name] = sha256Hex(bytes);
    sizes[name] = bytes.length;
    log(`wrote ${relativeToProject(join(outDir, name))} (${bytes.length} bytes, ${sums[name]})`);
  }
  const wallSeconds = (performance.now() - t0) / 1000;

  if (values.check) {
    let same = true;
    for (const name of BUILT_FILES) {
      let shipped = "(missing)";
      try {
        shipped = sha256Hex(await Deno.readFile(join(DEFAULT_WORDVEC_DIR, name)));
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      const ok = shipped === sums[name];
      same &&= ok;
      console.log(
        `${ok ? "same" : "DIFFERENT"}  ${name}  rebuilt ${sums[name]}  shipped ${shipped}`,
      );
    }
    if (same) {
      await Deno.remove(outDir, { recursive: true });
      log("check passed: the rebuild is bit-for-bit identical to data/wordvec");
      return 0;
    }
    log(`check FAILED: rebuilt files kept in ${relativeToProject(outDir)}`);
    return 1;
  }

  const manifest: BuildManifest = {
    command: commandLine("wordvectors"),
    git: readGitInfo(PROJECT_ROOT),
    versions: { deno: Deno.version.deno, v8: Deno.version.v8 },
    date: new Date().toISOString(),
    settings: build.settings,
    corpus: { ...build.corpus, trainingTokens: build.trainingTokens },
    vocabulary: build.vocab.words.length,
    constraints: {
      ...build.constraints.counts,
      trainSynonyms: build.constraints.synonyms.length / 2,
      trainAntonyms: build.constraints.antonyms.length / 2,
      heldOutSynonyms: build.constraints.heldOutSynonyms.length / 2,
      heldOutAntonyms: build.constraints.heldOutAntonyms.length / 2,
      vspPairs: build.vspPairs,
    },
    counterFitHistory: build.counterFitHistory,
    randomPairMedianCosine: build.randomPairMedianCosine,
    seconds: { ...build.seconds, total: wallSeconds },
    files: Object.fromEntries(BUILT_FILES.map((f) => [f, { bytes: sizes[f], sha256: sums[f] }])),
  };
  await Deno.writeTextFile(join(outDir, "build.json"), JSON.stringify(manifest, null, 2) + "\n");
  let evaluation: string | undefined;
  if (!values["no-eval"]) {
    log("evaluating");
    evaluation = await evaluateWordVectors({ dir: outDir });
  }
  await Deno.writeTextFile(join(outDir, "README.md"), renderReadme(manifest, evaluation));
  log(`wrote ${relativeToProject(join(outDir, "README.md"))}; total ${formatSeconds(wallSeconds)}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main());
