/**
 * The malformed-input corpus (issue 21): each case writes one bad input into a fresh folder,
 * feeds it to the code a user's command would run, and states the error expected: which file,
 * line or field, and what was expected there. `recovered` cases are not errors: the input is
 * repaired, the repair is reported and the work it held is done again. malformed_test.ts runs
 * them all; README.md lists them.
 */
import { join } from "node:path";
import {
  assertChecksums,
  createBertTokenizer,
  loadMrpc,
  loadMrSplits,
  loadSst2,
  loadSubjAll,
  parseTrecLines,
  verifyChecksums,
} from "../../lib/data/mod.ts";
import { loadCheckpoint, readSafetensors } from "../../lib/models/mod.ts";
import { createRun, readRun, resumeRun } from "../../lib/track/mod.ts";
import { createEvolution } from "../../lib/search/mod.ts";
import { createSearchSpace } from "../../lib/search_space/mod.ts";
import { sha256Hex } from "../../lib/data/mod.ts";
import { parseAttackConfig, parseRecipes } from "../../experiments/attack/config.ts";
import { parseFlags, parseRunParams } from "../../experiments/rosearch_sst2/config.ts";
import { parseCliArgs } from "../../experiments/_shared/cli.ts";

export type Area = "data" | "config" | "flags" | "checkpoint" | "run" | "settings";

export interface MalformedCase {
  id: string;
  area: Area;
  /** The bad input, in words. */
  input: string;
  /** The error expected (file, line or field; what was expected), or for `recovered` the report. */
  expected: RegExp;
  /** Throws the error; a `recovered` case returns the text of its report instead. */
  run: (dir: string, fixtures: Fixtures) => Promise<unknown>;
  recovered?: boolean;
}

export interface Fixtures {
  /** A valid tiny BERT checkpoint folder (copied into each case's folder by `checkpoint`). */
  checkpoint: string;
}

const enc = new TextEncoder();

async function write(dir: string, files: Record<string, string | Uint8Array>): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeFile(path, typeof content === "string" ? enc.encode(content) : content);
  }
  return dir;
}

/** A copy of the fixture checkpoint at `<dir>/ckpt`, optionally changed, manifest re-signed. */
async function checkpoint(
  dir: string,
  fx: Fixtures,
  change?: (ckpt: string) => Promise<void>,
  resign = true,
): Promise<string> {
  const ckpt = join(dir, "ckpt");
  await Deno.mkdir(ckpt, { recursive: true });
  for (const e of Deno.readDirSync(fx.checkpoint)) {
    await Deno.copyFile(join(fx.checkpoint, e.name), join(ckpt, e.name));
  }
  if (change) await change(ckpt);
  if (change && resign) {
    const manifest = JSON.parse(await Deno.readTextFile(join(ckpt, "manifest.json")));
    for (const name of Object.keys(manifest.files)) {
      manifest.files[name] = sha256Hex(await Deno.readFile(join(ckpt, name)));
    }
    await Deno.writeTextFile(join(ckpt, "manifest.json"), JSON.stringify(manifest));
  }
  return ckpt;
}

/** A safetensors file: 8-byte little-endian header length, the header, then the data. */
function safetensors(header: unknown, data = new Uint8Array(0), length?: bigint): Uint8Array {
  const h = enc.encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const sst2 = (dir: string, train: string | Uint8Array) =>
  write(dir, { "sst2/train.tsv": train }).then((root) => loadSst2("train", { dataRoot: root }));

/** A finished run with `n` records keyed r0..r(n-1) (each line about 130 bytes). */
async function finishedRun(dir: string, n = 3) {
  const run = await createRun("attack", { params: { n }, seed: 1, root: join(dir, "runs") });
  for (let i = 0; i < n; i++) run.appendRecord({ key: `r${i}`, text: "an example ".repeat(10) });
  run.finish("finished");
  return run.dir;
}

export const CASES: MalformedCase[] = [
  // ---- data files ----------------------------------------------------------------------------
  {
    id: "sst2-columns",
    area: "data",
    input: "an SST-2 row with three tab-separated columns",
    expected: /sst2\/train\.tsv: line 3 has 3 columns, expected 2 \(sentence<TAB>label\)/,
    run: (d) => sst2(d, "sentence\tlabel\ngood\t1\nbad\tfilm\t0\n"),
  },
  {
    id: "sst2-label",
    area: "data",
    input: "an SST-2 label that is not 0 or 1",
    expected: /sst2\/train\.tsv: line 2 is invalid: label must be 0 or 1, got "positive"/,
    run: (d) => sst2(d, "sentence\tlabel\ngood\tpositive\n"),
  },
  {
    id: "sst2-header",
    area: "data",
    input: "an SST-2 file whose header is not sentence<TAB>label",
    expected: /sst2\/train\.tsv: line 1 is "text\\tlabel", expected the header sentence<TAB>label/,
    run: (d) => sst2(d, "text\tlabel\ngood\t1\n"),
  },
  {
    id: "sst2-encoding",
    area: "data",
    input: "an SST-2 line in Latin-1, not UTF-8",
    expected: /sst2\/train\.tsv: line 2 is not valid UTF-8/,
    run: (d) => sst2(d, new Uint8Array([...enc.encode("sentence\tlabel\ncaf"), 0xe9, 9, 0x31, 10])),
  },
  {
    id: "sst2-empty-file",
    area: "data",
    input: "an empty SST-2 file",
    expected: /sst2\/train\.tsv: .*(empty|header)/,
    run: (d) => sst2(d, ""),
  },
  {
    id: "sst2-empty-sentence",
    area: "data",
    input: "an SST-2 row with an empty sentence",
    expected: /sst2\/train\.tsv: line 2 is invalid: sentence is empty/,
    run: (d) => sst2(d, "sentence\tlabel\n \t1\n"),
  },
  {
    id: "sst2-missing",
    area: "data",
    input: "no SST-2 file at all",
    expected: /Cannot load .*sst2\/train\.tsv: file not found/,
    run: (d) => loadSst2("train", { dataRoot: d }),
  },
  {
    id: "mrpc-quality",
    area: "data",
    input: "an MRPC row whose Quality is 2",
    expected: /mrpc\/train\.tsv: line 2 is invalid: label must be 0 or 1, got "2"/,
    run: (d) =>
      write(d, {
        "mrpc/train.tsv": "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n2\t1\t2\tA b.\tC d.\n",
      }).then((root) => loadMrpc("train", { dataRoot: root })),
  },
  {
    id: "trec-label",
    area: "data",
    input: "a TREC line whose coarse label is not one of the six",
    expected: /TREC\.train: line 2 .*(label|class).*ABBR/,
    run: () =>
      Promise.resolve().then(() =>
        parseTrecLines([{ text: "DESC:def What is a cat ?", line: 1 }, {
          text: "COLOR:x What is red ?",
          line: 2,
        }], "data/trec/TREC.train")
      ),
  },
  {
    id: "subj-empty-line",
    area: "data",
    input: "an empty line inside SUBJ's objective file",
    expected: /subj\/subj\.objective: line 2 is empty; expected a sentence/,
    run: (d) =>
      write(d, {
        "subj/subj.objective": "a plot .\n\nmore plot .\n",
        "subj/subj.subjective": "x\n",
      })
        .then((root) => loadSubjAll({ dataRoot: root })),
  },
  {
    id: "mr-empty-file",
    area: "data",
    input: "an empty MR negative file",
    expected: /mr\/rt-polarity\.neg: the file is empty \(no line with text\)/,
    run: (d) =>
      write(d, { "mr/rt-polarity.neg": "", "mr/rt-polarity.pos": "good .\n" })
        .then((root) => loadMrSplits({ dataRoot: root })),
  },
  {
    id: "checksums-line",
    area: "data",
    input: "a SHA256SUMS line that is not '<64 hex>  <path>'",
    expected: new RegExp(
      'SHA256SUMS: line 1 is "abc {2}sst2/train\\.tsv": ' +
        "expected `<64 hex digits> {2}<path>`",
    ),
    run: (d) => write(d, { "SHA256SUMS": "abc  sst2/train.tsv\n" }).then((r) => verifyChecksums(r)),
  },
  {
    id: "checksums-changed",
    area: "data",
    input: "a data file changed since its checksum was recorded",
    expected: /failed its checksums: sst2\/train\.tsv \(sha256 differs\)/,
    run: async (d) => {
      const sum = sha256Hex(enc.encode("sentence\tlabel\n"));
      await write(d, {
        "sst2/train.tsv": "sentence\tlabel\nx\t1\n",
        "SHA256SUMS": `${sum}  sst2/train.tsv\n`,
      });
      return assertChecksums(d);
    },
  },
  {
    id: "vocab-empty",
    area: "data",
    input: "an empty WordPiece vocabulary file",
    expected: /vocab\.txt: the file is empty; expected one token a line/,
    run: (d) =>
      write(d, { "vocab.txt": "" }).then(() =>
        createBertTokenizer({ vocabPath: `${d}/vocab.txt` })
      ),
  },
  {
    id: "vocab-special",
    area: "data",
    input: "a vocabulary without [MASK]",
    expected: /Cannot use .*vocab\.txt as a BERT vocabulary: token \[MASK\] is missing/,
    run: (d) =>
      write(d, { "vocab.txt": "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n" })
        .then(() => createBertTokenizer({ vocabPath: `${d}/vocab.txt` })),
  },
  // ---- configs and flags ---------------------------------------------------------------------
  {
    id: "flag-unknown",
    area: "flags",
    input: "rosearch --candidates 3 (no such flag)",
    expected: /Unknown option '--candidates'; the options are --budget, --workers/,
    run: () => Promise.resolve().then(() => parseFlags(["--candidates", "3"])),
  },
  {
    id: "flag-budget",
    area: "flags",
    input: "rosearch --budget abc",
    expected: /--budget "abc": expected default, ci, quick, paper or a number N >= 1/,
    run: () => Promise.resolve().then(() => parseFlags(["--budget", "abc"])),
  },
  {
    id: "flag-workers",
    area: "flags",
    input: "rosearch --workers 0",
    expected: /--workers "0": Number must be greater than or equal to 1/,
    run: () => Promise.resolve().then(() => parseFlags(["--workers", "0"])),
  },
  {
    id: "flag-missing-value",
    area: "flags",
    input: "a flag given without its value (--n at the end)",
    expected: /Option '--n <value>' argument missing/,
    run: () => Promise.resolve().then(() => parseCliArgs({ n: { type: "string" } }, ["--n"])),
  },
  {
    id: "flag-recipe",
    area: "flags",
    input: "attack --recipe foo",
    expected: /--recipe "foo": unknown foo; valid: all, textfooler, pwws/,
    run: () => Promise.resolve().then(() => parseRecipes("foo")),
  },
  {
    id: "config-bert-field",
    area: "config",
    input: "a checkpoint's config.json without hidden_size",
    expected: /ckpt\/config\.json: .*hidden_size/,
    run: async (d, fx) => {
      const ckpt = await checkpoint(d, fx, async (c) => {
        const cfg = JSON.parse(await Deno.readTextFile(join(c, "config.json")));
        delete cfg.hidden_size;
        await Deno.writeTextFile(join(c, "config.json"), JSON.stringify(cfg));
      });
      return loadCheckpoint(ckpt);
    },
  },
  {
    id: "config-run-params",
    area: "config",
    input: "rosearch --resume of an attack run (run.json params of another experiment)",
    expected: /is not a rosearch run's record: params\.presetName: /,
    run: () => Promise.resolve().then(() => parseRunParams({ n: 3 }, "runs/attack/1/run.json")),
  },
  {
    id: "config-attack-params",
    area: "config",
    input: "attack settings in a run.json with n = 0",
    expected:
      /Invalid attack settings in runs\/attack\/1\/run\.json: .*n: Number must be greater than 0/,
    run: () =>
      Promise.resolve().then(() =>
        parseAttackConfig({
          recipes: ["pwws"],
          model: "teacher",
          modelDir: "x",
          dataset: "sst2",
          n: 0,
          seed: 0,
          queryBudget: null,
          teacherDir: "x",
          mlmDir: "x",
          batchSize: 32,
        }, "runs/attack/1/run.json")
      ),
  },
  // ---- checkpoints ---------------------------------------------------------------------------
  {
    id: "ckpt-sha256",
    area: "checkpoint",
    input: "model.safetensors changed after saving (manifest not re-signed)",
    expected: /ckpt: model\.safetensors changed since it was saved \(sha256 [0-9a-f]{64}, manifest/,
    run: async (d, fx) => {
      const ckpt = await checkpoint(d, fx, async (c) => {
        const b = await Deno.readFile(join(c, "model.safetensors"));
        b[b.length - 1] ^= 0xff;
        await Deno.writeFile(join(c, "model.safetensors"), b);
      }, false);
      return loadCheckpoint(ckpt);
    },
  },
  {
    id: "ckpt-truncated",
    area: "checkpoint",
    input: "model.safetensors cut short (manifest re-signed, so the parser sees it)",
    expected: /model\.safetensors: .*data_offsets end \d+ is beyond the data region of \d+ bytes/,
    run: async (d, fx) => {
      const ckpt = await checkpoint(d, fx, async (c) => {
        const b = await Deno.readFile(join(c, "model.safetensors"));
        await Deno.writeFile(join(c, "model.safetensors"), b.subarray(0, b.length - 1000));
      });
      return loadCheckpoint(ckpt);
    },
  },
  {
    id: "ckpt-missing-file",
    area: "checkpoint",
    input: "a checkpoint whose model.safetensors is missing",
    expected: /ckpt: model\.safetensors is listed in manifest\.json but missing/,
    run: async (d, fx) => {
      const ckpt = await checkpoint(d, fx, (c) => Deno.remove(join(c, "model.safetensors")), false);
      return loadCheckpoint(ckpt);
    },
  },
  {
    id: "ckpt-unsafe-name",
    area: "checkpoint",
    input: "a manifest listing ../../etc/passwd",
    expected: /manifest lists an unsafe file name "\.\.\/\.\.\/etc\/passwd"/,
    run: async (d, fx) => {
      const ckpt = await checkpoint(d, fx);
      const m = JSON.parse(await Deno.readTextFile(join(ckpt, "manifest.json")));
      m.files["../../etc/passwd"] = "0".repeat(64);
      await Deno.writeTextFile(join(ckpt, "manifest.json"), JSON.stringify(m));
      return loadCheckpoint(ckpt);
    },
  },
  {
    id: "ckpt-shapes",
    area: "checkpoint",
    input: "config.json says 2 labels, the weights have 3 (classifier.weight shape)",
    expected: /classifier\.(weight|bias).*(shape|\[)/,
    run: async (d, fx) => {
      const ckpt = await checkpoint(d, fx, async (c) => {
        const cfg = JSON.parse(await Deno.readTextFile(join(c, "config.json")));
        cfg.num_labels = 3;
        await Deno.writeTextFile(join(c, "config.json"), JSON.stringify(cfg));
      });
      return loadCheckpoint(ckpt);
    },
  },
  {
    id: "st-header-huge",
    area: "checkpoint",
    input: "a safetensors header length of 2^40 bytes (hostile: would allocate a terabyte)",
    expected: /x\.safetensors: header length 1099511627776 exceeds the \d+-byte limit/,
    run: (d) =>
      write(d, { "x.safetensors": safetensors({}, undefined, 2n ** 40n) })
        .then(() => readSafetensors(join(d, "x.safetensors"))),
  },
  {
    id: "st-header-json",
    area: "checkpoint",
    input: "a safetensors header that is not JSON",
    expected: /x\.safetensors: header is not valid JSON/,
    run: (d) =>
      write(d, { "x.safetensors": safetensors("{not json") })
        .then(() => readSafetensors(join(d, "x.safetensors"))),
  },
  {
    id: "st-offsets",
    area: "checkpoint",
    input: "a safetensors tensor whose data_offsets point past the file",
    expected: /x\.safetensors: .*"w".*data_offsets end 4096 is beyond the data region of 16 bytes/,
    run: (d) =>
      write(d, {
        "x.safetensors": safetensors(
          { w: { dtype: "F32", shape: [4], data_offsets: [0, 4096] } },
          new Uint8Array(16),
        ),
      }).then(() => readSafetensors(join(d, "x.safetensors"))),
  },
  {
    id: "st-shape-bytes",
    area: "checkpoint",
    input: "a safetensors tensor whose shape needs more bytes than its offsets give",
    expected: /x\.safetensors: .*"w".*(shape|bytes)/,
    run: (d) =>
      write(d, {
        "x.safetensors": safetensors(
          { w: { dtype: "F32", shape: [1000, 1000], data_offsets: [0, 16] } },
          new Uint8Array(16),
        ),
      }).then(() => readSafetensors(join(d, "x.safetensors"))),
  },
  {
    id: "st-dtype",
    area: "checkpoint",
    input: "a safetensors tensor of an unsupported dtype",
    expected: /x\.safetensors: .*"w".*dtype.*"C64"/,
    run: (d) =>
      write(d, {
        "x.safetensors": safetensors(
          { w: { dtype: "C64", shape: [2], data_offsets: [0, 16] } },
          new Uint8Array(16),
        ),
      }).then(() => readSafetensors(join(d, "x.safetensors"))),
  },
  {
    id: "st-overlap",
    area: "checkpoint",
    input: "two safetensors tensors sharing the same bytes",
    expected: /x\.safetensors: .*overlap/,
    run: (d) =>
      write(d, {
        "x.safetensors": safetensors(
          {
            a: { dtype: "F32", shape: [4], data_offsets: [0, 16] },
            b: { dtype: "F32", shape: [4], data_offsets: [0, 16] },
          },
          new Uint8Array(16),
        ),
      }).then(() => readSafetensors(join(d, "x.safetensors"))),
  },
  // ---- run folders ---------------------------------------------------------------------------
  {
    id: "run-missing-json",
    area: "run",
    input: "--resume of a folder without run.json",
    expected: /Cannot read run at .*: run\.json not found \(is this a run folder\?\)/,
    run: (d) => resumeRun(d),
  },
  {
    id: "run-json-invalid",
    area: "run",
    input: "a run.json that is not JSON",
    expected: /run\.json.*(JSON|parse)/i,
    run: (d) => write(d, { "run.json": '{"format": 1,' }).then(() => resumeRun(d)),
  },
  {
    id: "run-json-schema",
    area: "run",
    input: "a run.json of format 2",
    expected: /run\.json.*format/,
    run: async (d) => {
      const dir = await finishedRun(d);
      const info = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
      info.format = 2;
      await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify(info));
      return resumeRun(dir);
    },
  },
  {
    id: "run-torn-last-line",
    area: "run",
    input: "records.jsonl whose last line lost its last 40 bytes (a crash mid-write)",
    expected: /^records\.jsonl line 3: dropped 9\d bytes; keys r0,r1 kept, r2 to do again$/,
    recovered: true,
    run: async (d) => {
      const dir = await finishedRun(d);
      const path = join(dir, "records.jsonl");
      const b = await Deno.readFile(path);
      await Deno.writeFile(path, b.subarray(0, b.length - 40));
      const run = await resumeRun(dir);
      const r = run.info.history.at(-1)!.repairs![0];
      const keys = [...run.completedKeys()].sort();
      const todo = ["r0", "r1", "r2"].filter((k) => !keys.includes(k));
      return `records.jsonl line ${r.line}: ${r.action} ${r.bytes} bytes; keys ${keys} kept, ` +
        `${todo} to do again`;
    },
  },
  {
    id: "run-torn-middle-line",
    area: "run",
    input: "records.jsonl with a broken line in the middle (not a crash: an edit)",
    expected: /records\.jsonl:2: not valid JSON/,
    run: async (d) => {
      const dir = await finishedRun(d);
      const path = join(dir, "records.jsonl");
      const lines = (await Deno.readTextFile(path)).split("\n");
      lines[1] = lines[1].slice(0, 10);
      await Deno.writeTextFile(path, lines.join("\n"));
      const { problems } = readRun(dir);
      if (problems.length > 0) throw new Error(problems.join("; "));
    },
  },
  {
    id: "run-foreign-record",
    area: "run",
    input: "a record copied in from another run (its key is already in this run)",
    expected: /records\.jsonl:4: key "r1" repeats line 2/,
    run: async (d) => {
      const dir = await finishedRun(d);
      await Deno.writeTextFile(join(dir, "records.jsonl"), `{"key":"r1","text":"other run"}\n`, {
        append: true,
      });
      const { problems } = readRun(dir);
      if (problems.length > 0) throw new Error(problems.join("; "));
    },
  },
  // ---- settings out of range -----------------------------------------------------------------
  {
    id: "settings-evolution",
    area: "settings",
    input: "an evolution with population size 0",
    expected: /populationSize.*(>= 1|positive|at least 1)/,
    run: () =>
      Promise.resolve().then(() =>
        createEvolution({ space: createSearchSpace({ maxCells: 3 }), budget: 4, populationSize: 0 })
      ),
  },
  {
    id: "settings-space",
    area: "settings",
    input: "a search space with minRatio above maxRatio",
    expected: /minRatio.*maxRatio/,
    run: () =>
      Promise.resolve().then(() =>
        createSearchSpace({ teacherParams: 1e7, minRatio: 10, maxRatio: 2 })
      ),
  },
];
