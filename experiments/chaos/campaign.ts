/**
 * The kill-and-resume campaign (issue 21): a task runs as a subprocess with exactly its
 * deno.json permissions, is sent SIGKILL at seeded random moments, and is resumed with
 * `--resume RUN_DIR` after each kill; at the end the run's records are compared with those of an
 * uninterrupted run of the same seed.
 *
 * What is checked: every record key appears exactly once in records.jsonl (raw lines, so a
 * duplicate cannot hide), no key of the uninterrupted run is missing, none is extra, and the
 * runs agree record by record on the fields the design makes deterministic (`compare`): the
 * search's candidates (hash, order, origin, parents) and the attack's outcome per example. The
 * rest (timings) is not compared.
 *
 * Kill times, from a seeded PRNG and the uninterrupted run's own timing (S seconds until its
 * first record, G the longest gap between two of its records): one
 * kill in five lands in start-up, uniform over the last measured start-up of that kind of
 * process (a new run's S; a resumed process starts faster, its caches are built, and is
 * measured on the resumed processes themselves): loading, the teacher cache, before or while
 * run.json is written. The others land U(0, 1) x max(G, 0.2) seconds after the
 * process's first new record: anywhere in a candidate's training, an attack or the final writes,
 * and every such cycle makes progress (a fixed clock could kill every process before its first
 * record forever). A kill before run.json exists means a new run is started (a restart).
 */
import { join } from "node:path";
import { Prng } from "../../lib/random/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";

export interface ChaosTarget {
  name: string;
  /** deno.json task whose permissions and script are used. */
  task: string;
  /** The experiment folder under the runs root ("rosearch_sst2", "attack"). */
  experiment: string;
  /** Flags of a new run; `--runs-root DIR` is appended. */
  args: string[];
  /** Flags added to `--resume RUN_DIR`. */
  resumeArgs?: string[];
  /** The fields of a record that must equal the uninterrupted run's. */
  compare: (record: Record<string, unknown>) => unknown;
}

export interface ChaosOptions {
  kills: number;
  seed: number;
  /** Folder for the runs (relative to the project). */
  root: string;
  log?: (line: string) => void;
}

export interface ChaosResult {
  target: string;
  kills: number;
  /** `--resume` invocations (killed or not). */
  resumes: number;
  /** Kills before run.json existed (a new run was started again). */
  restarts: number;
  /** Kills that landed in start-up (before the process's first new record). */
  startupKills: number;
  /** Processes that finished before their kill came. */
  finishedEarly: number;
  referenceSeconds: number;
  chaosSeconds: number;
  records: number;
  referenceRecords: number;
  duplicated: string[];
  lost: string[];
  extra: string[];
  /** Keys whose compared fields differ from the uninterrupted run's. */
  differing: string[];
  /** Repairs of torn lines that resumes reported (run.json history). */
  repairs: number;
  ok: boolean;
}

/** `deno run <permissions> <script>` of a deno.json task, split into arguments. */
export function taskCommand(task: string): string[] {
  const tasks = JSON.parse(Deno.readTextFileSync(`${PROJECT_ROOT}deno.json`)).tasks;
  const line = tasks?.[task];
  if (typeof line !== "string" || !line.startsWith("deno run ")) {
    throw new RangeError(`chaos: deno.json has no "deno run" task named ${task}`);
  }
  return line.slice("deno run ".length).split(/\s+/).filter(Boolean);
}

function spawn(task: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args: ["run", ...taskCommand(task), ...args],
    cwd: PROJECT_ROOT,
    stdout: "null",
    stderr: "piped",
    env: { ROSEARCH_BUDGET: "" },
  }).spawn();
}

/**
 * Kills `child` (SIGKILL) `seconds` after `armed()` first returns true (polled every 100 ms;
 * `armed` undefined: from the start). Returns false when the process ended first.
 */
async function killAfter(
  child: Deno.ChildProcess,
  seconds: number,
  armed?: () => boolean,
): Promise<{ killed: boolean; armedAfter: number }> {
  const t0 = performance.now();
  let armedAt = armed ? NaN : 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolveKill: (v: boolean) => void = () => {};
  const killed = new Promise<boolean>((resolve) => (resolveKill = resolve));
  const arm = () => {
    armedAt = (performance.now() - t0) / 1000;
    timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      resolveKill(true);
    }, seconds * 1000);
  };
  const polling = armed
    ? setInterval(() => {
      if (Number.isNaN(armedAt) && armed()) arm();
    }, 100)
    : undefined;
  if (!armed) arm();
  const status = child.status.then(() => false);
  const wasKilled = await Promise.race([killed, status]);
  clearTimeout(timer);
  clearInterval(polling);
  const s = await child.status;
  await child.stderr.cancel().catch(() => {});
  if (!wasKilled && s.code !== 0) throw new Error(`chaos: the task exited with code ${s.code}`);
  return { killed: wasKilled, armedAfter: armedAt };
}

/** Runs to the end; `onTick` is polled every 200 ms while it runs. */
async function runToEnd(task: string, args: string[], onTick?: () => void): Promise<void> {
  const child = spawn(task, args);
  const timer = onTick ? setInterval(onTick, 200) : undefined;
  const [status, err] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]).finally(() => clearInterval(timer));
  if (status.code !== 0) {
    throw new Error(`chaos: ${task} ${args.join(" ")} exited ${status.code}:\n${err.slice(-2000)}`);
  }
}

function runDirOf(root: string, experiment: string): string | null {
  try {
    const dirs = [...Deno.readDirSync(join(PROJECT_ROOT, root, experiment))]
      .filter((e) => e.isDirectory).map((e) => join(root, experiment, e.name)).sort();
    const withInfo = dirs.filter((d) => exists(join(PROJECT_ROOT, d, "run.json")));
    return withInfo.at(-1) ?? null;
  } catch {
    return null;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Records by key from raw lines (a torn last line is skipped), with the keys seen twice. */
export function recordsOf(
  dir: string,
): { byKey: Map<string, Record<string, unknown>>; dup: string[] } {
  const byKey = new Map<string, Record<string, unknown>>();
  const dup: string[] = [];
  let text = "";
  try {
    text = Deno.readTextFileSync(join(PROJECT_ROOT, dir, "records.jsonl"));
  } catch { /* no records yet */ }
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line);
    } catch {
      continue;
    }
    const key = String(r.key);
    if (byKey.has(key)) dup.push(key);
    byKey.set(key, r);
  }
  return { byKey, dup };
}

function status(dir: string): string {
  try {
    return JSON.parse(Deno.readTextFileSync(join(PROJECT_ROOT, dir, "run.json"))).status;
  } catch {
    return "none";
  }
}

export async function runCampaign(target: ChaosTarget, o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? console.log;
  const refRoot = join(o.root, target.name, "reference");
  const chaosRoot = join(o.root, target.name, "killed");
  // 1. the uninterrupted run, and when its first record came
  let t = performance.now();
  let firstRecord = NaN, lastCount = 0, lastChange = NaN, maxGap = 0;
  await runToEnd(target.task, [...target.args, "--runs-root", refRoot], () => {
    const dir = runDirOf(refRoot, target.experiment);
    const count = dir === null ? 0 : recordsOf(dir).byKey.size;
    if (count === lastCount) return;
    const now = performance.now() - t;
    if (Number.isNaN(firstRecord)) firstRecord = now;
    else maxGap = Math.max(maxGap, now - lastChange);
    lastCount = count;
    lastChange = now;
  });
  const referenceSeconds = (performance.now() - t) / 1000;
  const startup = Number.isNaN(firstRecord) ? referenceSeconds / 2 : firstRecord / 1000;
  // kills land within about one record's time after the process's first new record: each cycle
  // makes progress, little of it, so the kills spread over the whole run
  const window = Math.max(0.2, maxGap / 1000);
  const refDir = runDirOf(refRoot, target.experiment)!;
  log(
    `${target.name}: uninterrupted run ${refDir} in ${referenceSeconds.toFixed(1)} s ` +
      `(first record after ${startup.toFixed(1)} s, longest gap between records ${
        (maxGap / 1000).toFixed(1)
      } s)`,
  );
  // 2. kills and resumes
  const prng = Prng.fromSeed(o.seed);
  let resumes = 0, restarts = 0, finishedEarly = 0, kills = 0, startupKills = 0;
  let resumeStartup = startup;
  t = performance.now();
  while (kills < o.kills) {
    const dir = runDirOf(chaosRoot, target.experiment);
    if (dir !== null && status(dir) === "finished") break;
    const args = dir === null
      ? [...target.args, "--runs-root", chaosRoot]
      : ["--resume", dir, ...(target.resumeArgs ?? [])];
    if (dir !== null) resumes++;
    // one kill in five in start-up (uniform over the start-up time last measured for this kind
    // of process: a resumed one starts faster, its caches are built); the others a random time
    // after the process's first new record, so that every such cycle makes progress
    const inStartup = prng.next() < 0.2;
    const st = dir === null ? startup : resumeStartup;
    const delay = inStartup ? 0.3 + prng.next() * Math.max(0, st - 0.3) : prng.next() * window;
    const before = dir === null ? 0 : recordsOf(dir).byKey.size;
    const newRecord = () => {
      const d = runDirOf(chaosRoot, target.experiment);
      return d !== null && recordsOf(d).byKey.size > before;
    };
    const { killed, armedAfter } = await killAfter(
      spawn(target.task, args),
      delay,
      inStartup ? undefined : newRecord,
    );
    if (!inStartup && dir !== null && Number.isFinite(armedAfter)) resumeStartup = armedAfter;
    if (!killed) {
      finishedEarly++;
      continue;
    }
    kills++;
    const now = runDirOf(chaosRoot, target.experiment);
    if (now === null) restarts++;
    const n = now === null ? 0 : recordsOf(now).byKey.size;
    if (n === before) startupKills++;
    log(
      `${target.name}: kill ${kills}/${o.kills} ${
        inStartup ? `in start-up, after ${delay.toFixed(1)} s` : `${delay.toFixed(1)} s after ` +
          `its first new record (${armedAfter.toFixed(1)} s)`
      } (${n} records${n === before ? ", none new" : ""})`,
    );
  }
  const dir = runDirOf(chaosRoot, target.experiment);
  if (dir === null) await runToEnd(target.task, [...target.args, "--runs-root", chaosRoot]);
  else if (status(dir) !== "finished") {
    await runToEnd(target.task, ["--resume", dir, ...(target.resumeArgs ?? [])]);
  }
  const chaosSeconds = (performance.now() - t) / 1000;
  const finalDir = runDirOf(chaosRoot, target.experiment)!;
  // 3. the comparison
  const ref = recordsOf(refDir), got = recordsOf(finalDir);
  const lost = [...ref.byKey.keys()].filter((k) => !got.byKey.has(k));
  const extra = [...got.byKey.keys()].filter((k) => !ref.byKey.has(k));
  const differing = [...ref.byKey.keys()].filter((k) =>
    got.byKey.has(k) &&
    JSON.stringify(target.compare(got.byKey.get(k)!)) !==
      JSON.stringify(target.compare(ref.byKey.get(k)!))
  );
  const info = JSON.parse(Deno.readTextFileSync(join(PROJECT_ROOT, finalDir, "run.json")));
  const repairs = (info.history as { repairs?: unknown[] }[])
    .reduce((s, h) => s + (h.repairs?.length ?? 0), 0);
  const result: ChaosResult = {
    target: target.name,
    kills,
    resumes,
    restarts,
    startupKills,
    finishedEarly,
    referenceSeconds,
    chaosSeconds,
    records: got.byKey.size,
    referenceRecords: ref.byKey.size,
    duplicated: [...got.dup, ...ref.dup],
    lost,
    extra,
    differing,
    repairs,
    ok: got.dup.length === 0 && ref.dup.length === 0 && lost.length === 0 &&
      extra.length === 0 && differing.length === 0 && info.status === "finished",
  };
  return result;
}
