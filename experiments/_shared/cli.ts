/**
 * One command-line convention for every task in deno.json:
 * - `--help` prints the task's usage and exits 0;
 * - a usage error or a bad value (an unknown flag, a missing value, a `UsageError`, or a
 *   `RangeError` whose message starts with the flag, "--n: ...") prints one line (what, where,
 *   what is allowed) and the usage, exit code 2, no stack trace;
 * - a path outside the task's permissions names the folders the task may read and write
 *   (read from the task's own line in deno.json), exit code 2;
 * - any other error prints one line, exit code 1; `--debug` adds the stack trace.
 * A run registered with `failRunOn` is marked "failed" (with the message) before exiting.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { PROJECT_ROOT } from "../../lib/project/mod.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** A bad flag or flag value; always reported with the task's usage. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface CliSpec<O extends Options> {
  /** The deno.json task name ("attack"); its permissions are read from deno.json. */
  task: string;
  usage: string;
  options: O;
  allowPositionals?: boolean;
  /** Default Deno.args. */
  args?: string[];
}

interface FinishableRun {
  readonly info: { status: string };
  finish(status: "failed", summary: Record<string, unknown>): void;
}

const EXTRA = {
  help: { type: "boolean", default: false },
  debug: { type: "boolean", default: false },
} as const;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O & typeof EXTRA; allowPositionals: true; strict: true }>
>;

let installed: { task: string; usage: string; debug: boolean } | null = null;
const runs: FinishableRun[] = [];

/** Parses the task's flags (plus `--help` and `--debug`) and installs the error convention. */
export function parseCli<O extends Options>(spec: CliSpec<O>): Parsed<O> {
  const args = spec.args ?? Deno.args;
  installCli(spec.task, spec.usage, args.includes("--debug"));
  const parsed = parseCliArgs(spec.options, args, spec.allowPositionals);
  if ((parsed.values as { help?: boolean }).help) {
    console.log(spec.usage);
    Deno.exit(0);
  }
  return parsed;
}

/** `parseArgs` with `--help` and `--debug` added; errors become `UsageError`s listing the flags. */
export function parseCliArgs<O extends Options>(
  options: O,
  args: string[],
  allowPositionals = false,
): Parsed<O> {
  try {
    return parseArgs({
      args,
      options: { ...options, ...EXTRA },
      allowPositionals,
      strict: true,
    }) as Parsed<O>;
  } catch (e) {
    throw new UsageError(parseArgsMessage(e, Object.keys(options)));
  }
}

/** Installs the handlers (idempotent); `parseCli` calls it, tasks parsing by hand call it. */
export function installCli(task: string, usage: string, debug = Deno.args.includes("--debug")) {
  const first = installed === null;
  installed = { task, usage, debug };
  if (!first) return;
  const onFatal = (error: unknown) => {
    const { task, usage, debug } = installed!;
    const report = describeError(error, { task, usage, debug });
    const message = error instanceof Error ? error.message : String(error);
    for (const run of runs) {
      if (run.info.status === "running") {
        try {
          run.finish("failed", { error: message });
        } catch { /* the report below matters more */ }
      }
    }
    console.error(report.text);
    Deno.exit(report.code);
  };
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    onFatal(e.error);
  });
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    onFatal(e.reason);
  });
}

/** Marks `run` "failed" if the process dies of an uncaught error while it is running. */
export function failRunOn(run: FinishableRun): void {
  runs.push(run);
}

/** The exit code and text for an uncaught error under the convention (pure; tested). */
export function describeError(
  error: unknown,
  o: { task: string; usage: string; debug: boolean; denoJson?: string },
): { code: number; text: string } {
  const prefix = `deno task ${o.task}`;
  const own = (m: string) => {
    const head = /^([\w-]+): /.exec(m)?.[1]?.toLowerCase();
    return head === o.task.toLowerCase() || head === "rosearch" ? m.slice(head!.length + 2) : m;
  };
  const stack = (e: unknown) => o.debug && e instanceof Error && e.stack ? `\n${e.stack}` : "";
  if (isUsageError(error, own)) {
    const message = error instanceof TypeError && isParseArgsError(error)
      ? parseArgsMessage(error, [])
      : own((error as Error).message);
    return { code: 2, text: `${prefix}: ${message}${stack(error)}\n\nusage: ${o.usage}` };
  }
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    const allowed = taskPermissions(o.task, o.denoJson);
    const where = allowed
      ? ` This task may read ${list(allowed.read)} and write only under ${
        list(allowed.write)
      } (its permissions in deno.json); keep run folders under runs/.`
      : "";
    return {
      code: 2,
      text: `${prefix}: ${permissionWhat(error.message)}.${where}${stack(error)}`,
    };
  }
  const message = own(error instanceof Error ? error.message : String(error));
  const hint = o.debug ? "" : " (run again with --debug for the stack trace)";
  return { code: 1, text: `${prefix}: error: ${message}${hint}${stack(error)}` };
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

/**
 * A usage error: a `UsageError`, a parseArgs error, or a `RangeError` whose message starts with
 * the flag it is about ("--kd: unknown KD mode ...", after the task's own "rosearch: " prefix):
 * the convention for bad values found while the settings are checked. A RangeError from deep in
 * the work (no flag named) is an ordinary error.
 */
function isUsageError(e: unknown, own: (m: string) => string = (m) => m): boolean {
  return e instanceof UsageError || isParseArgsError(e) ||
    (e instanceof RangeError && own(e.message).startsWith("--"));
}

function parseArgsMessage(e: unknown, known: string[]): string {
  if (!isParseArgsError(e)) return (e as Error).message;
  const message = (e as Error).message;
  const code = (e as { code: string }).code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && known.length > 0) {
    const flags = [...known, "help", "debug"].map((k) => `--${k}`).join(", ");
    return `${message}; the options are ${flags}`;
  }
  return message;
}

function permissionWhat(message: string): string {
  const m = /Requires (\w+) access to "([^"]*)"/.exec(message);
  return m ? `no ${m[1]} access to ${m[2]}` : message.replace(/[.]$/, "");
}

function list(paths: string[]): string {
  return paths.length === 0 ? "nothing" : paths.map((p) => p === "." ? ". (the project)" : p)
    .join(", ");
}

/** The --allow-read / --allow-write folders of a task's line in deno.json. */
export function taskPermissions(
  task: string,
  denoJson = `${PROJECT_ROOT}deno.json`,
): { read: string[]; write: string[] } | null {
  let line: string | undefined;
  try {
    line = JSON.parse(Deno.readTextFileSync(denoJson)).tasks?.[task];
  } catch {
    return null;
  }
  if (typeof line !== "string") return null;
  const flag = (name: string) => {
    const m = new RegExp(`--allow-${name}(=(\\S+))?`).exec(line!);
    return m === null ? [] : m[2] === undefined ? ["everything"] : m[2].split(",");
  };
  return { read: flag("read"), write: flag("write") };
}
