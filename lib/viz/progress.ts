/**
 * Live progress for long loops (training steps, candidate evaluations, attacks).
 *
 * `createProgress({ total, label })` returns `{ update(done, extra?), done(extra?) }`. Where it
 * draws is picked once, at creation:
 * - inside Deno's Jupyter kernel (`Deno.jupyter` exists only there; outside it throws, so it is
 *   probed with `"jupyter" in Deno` and try/catch): one output cell updated in place through
 *   `Deno.jupyter.broadcast("display_data" | "update_display_data",
 *   { transient: { display_id } })`, at most every `intervalMs`;
 * - stderr is a terminal: a bar redrawn in place with a carriage return, at most every
 *   `intervalMs`, and a newline at `done()`;
 * - otherwise (CI logs, pipes, files): plain lines, one each time another 10% is done (or every
 *   `lineIntervalMs` when the total is unknown or progress is slow), and a last line at `done()`.
 */
import { escapeHtml } from "./escape_html.ts";

export type ProgressMode = "auto" | "jupyter" | "tty" | "lines" | "silent";

export interface ProgressOptions {
  /** Number of steps; 0 or undefined when unknown (no bar, no ETA). */
  total?: number;
  /** Text before the numbers. Default "progress". */
  label?: string;
  /** Default "auto": Jupyter in the kernel, "tty" when stderr is a terminal, else "lines". */
  mode?: ProgressMode;
  /** Output sink for "tty" and "lines". Default: write to stderr. */
  write?: (text: string) => void;
  /** Minimum time between redraws in "tty" and "jupyter" modes. Default 100 ms. */
  intervalMs?: number;
  /** In "lines" mode, the longest time without a line while work goes on. Default 10 000 ms. */
  lineIntervalMs?: number;
  /** Clock in milliseconds (tests inject one). Default `performance.now`. */
  now?: () => number;
  /** Bar width in characters ("tty"). Default 28. */
  width?: number;
}

export interface Progress {
  /** Reports `done` steps finished; `extra` (e.g. `{ loss: 0.41 }`) is shown after the numbers. */
  update(done: number, extra?: Record<string, unknown> | string): void;
  /** Final report; further updates are ignored. */
  done(extra?: Record<string, unknown> | string): void;
  /** The mode actually used. */
  readonly mode: Exclude<ProgressMode, "auto">;
}

type Broadcast = (type: string, content: Record<string, unknown>) => Promise<void>;

/**
 * `Deno.jupyter.broadcast` when running inside the Jupyter kernel, else undefined. Outside
 * `deno jupyter`, `"jupyter" in Deno` is true but reading `Deno.jupyter` throws ("only available
 * in `deno jupyter` subcommand"), hence the try/catch.
 */
export function jupyterBroadcast(): Broadcast | undefined {
  try {
    if (!("jupyter" in Deno)) return undefined;
    const jupyter = (Deno as unknown as { jupyter?: { broadcast?: Broadcast } }).jupyter;
    if (typeof jupyter?.broadcast !== "function") return undefined;
    return jupyter.broadcast.bind(jupyter);
  } catch {
    return undefined;
  }
}

let nextDisplayId = 1;

export function createProgress(options: ProgressOptions = {}): Progress {
  const {
    total = 0,
    label = "progress",
    intervalMs = 100,
    lineIntervalMs = 10_000,
    now = () => performance.now(),
    width = 28,
  } = options;
  const write = options.write ??
    ((text: string) => void Deno.stderr.writeSync(new TextEncoder().encode(text)));
  const broadcast =
    options.mode === "auto" || options.mode === undefined || options.mode === "jupyter"
      ? jupyterBroadcast()
      : undefined;
  let mode: Exclude<ProgressMode, "auto">;
  if (options.mode && options.mode !== "auto") mode = options.mode;
  else if (broadcast) mode = "jupyter";
  else mode = safeIsTerminal() ? "tty" : "lines";
  if (mode === "jupyter" && !broadcast) mode = "lines";

  const start = now();
  let last = -Infinity;
  let lastTenth = -1;
  let finished = false;
  let shown = false;
  const displayId = `rosearch-progress-${nextDisplayId++}`;

  const describe = (done: number, extra?: Record<string, unknown> | string) => {
    const elapsed = (now() - start) / 1000;
    const parts = [
      total > 0 ? `${done}/${total} (${Math.floor((100 * done) / total)}%)` : `${done}`,
    ];
    parts.push(`${elapsed.toFixed(1)}s`);
    if (total > 0 && done > 0 && done < total) {
      parts.push(`eta ${((elapsed / done) * (total - done)).toFixed(1)}s`);
    }
    if (extra !== undefined) parts.push(formatExtra(extra));
    return parts.join("  ");
  };

  const report = (
    done: number,
    extra: Record<string, unknown> | string | undefined,
    final: boolean,
  ) => {
    const t = now();
    if (mode === "silent") return;
    if (mode === "lines") {
      const tenth = total > 0 ? Math.floor((10 * done) / total) : -1;
      // The 100% line is left to done(), which always writes one.
      if (!final && total > 0 && done >= total) return;
      const due = final || (total > 0 && tenth > lastTenth) || t - last >= lineIntervalMs;
      if (!due) return;
      lastTenth = Math.max(lastTenth, tenth);
      last = t;
      write(`${label}: ${describe(done, extra)}${final ? "  done" : ""}\n`);
      return;
    }
    if (!final && t - last < intervalMs) return;
    last = t;
    if (mode === "tty") {
      const bar = total > 0
        ? `[${"#".repeat(Math.round((width * Math.min(done, total)) / total)).padEnd(width, ".")}] `
        : "";
      write(`\r${label} ${bar}${describe(done, extra)}\x1b[K${final ? "\n" : ""}`);
      return;
    }
    // jupyter
    const text = `${label}: ${describe(done, extra)}${final ? "  done" : ""}`;
    const bar = total > 0
      ? `<progress value="${Math.min(done, total)}" max="${total}" style="width:240px"></progress> `
      : "";
    const content = {
      data: {
        "text/html": `<div style="font:12px system-ui,sans-serif">${bar}${escapeHtml(text)}</div>`,
        "text/plain": text,
      },
      metadata: {},
      transient: { display_id: displayId },
    };
    // Deno 2.9's `Deno.jupyter.broadcast` may return undefined instead of a promise; a failed
    // broadcast must never break the loop being reported on.
    try {
      const sent = broadcast!(shown ? "update_display_data" : "display_data", content) as unknown;
      if (sent instanceof Promise) sent.catch(() => {});
    } catch { /* progress is best-effort */ }
    shown = true;
  };

  return {
    mode,
    update(done, extra) {
      if (!finished) report(done, extra, false);
    },
    done(extra) {
      if (finished) return;
      finished = true;
      report(total > 0 ? total : 0, extra, true);
    },
  };
}

function safeIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}

function formatExtra(extra: Record<string, unknown> | string): string {
  if (typeof extra === "string") return extra;
  return Object.entries(extra)
    .map(([k, v]) =>
      `${k}=${typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(4) : String(v)}`
    )
    .join(" ");
}
