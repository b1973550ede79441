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
 *
 * A phase whose steps are slow (a candidate of several minutes) still shows it is alive: with
 * `heartbeatMs` (default 30 s) a timer repeats the last state with the phase's `status()` (for
 * example the worker pool's running tasks and their own step counts) whenever nothing was
 * written for that long, in "lines" mode, and redraws the bar every second on a terminal. The
 * timer does not keep the process alive and stops at `done()`. Timers cannot fire inside a
 * synchronous loop: such loops call `update` themselves.
 *
 * Each line has done/total, the percentage, the elapsed time, the rate (per second, or seconds
 * per step when slower than one a second) and the time left.
 */
import { escapeHtml } from "./escape_html.ts";

export type ProgressMode = "auto" | "jupyter" | "tty" | "lines" | "silent";

export interface ProgressOptions {
  /** Number of steps; 0 or undefined when unknown (no bar, no ETA). */
  total?: number;
  /** Steps already done before this process (a resumed run): left out of the rate and ETA. */
  initial?: number;
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
  /** Longest silence in "lines" mode while the phase runs (timer based). Default 30 000; 0: off. */
  heartbeatMs?: number;
  /** What is happening now, appended to heartbeat lines and redraws (e.g. running tasks). */
  status?: () => string;
  /** "lines" mode: a line each time another 10% is done. Default true; false: time-based only. */
  everyTenth?: boolean;
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
    heartbeatMs = 30_000,
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
  const bar = (done: number) =>
    total > 0
      ? `[${"#".repeat(Math.round((width * Math.min(done, total)) / total)).padEnd(width, ".")}] `
      : "";
  let last = -Infinity;
  let lastTenth = -1;
  let finished = false;
  let shown = false;
  const displayId = `rosearch-progress-${nextDisplayId++}`;

  let lastDone = 0;
  let lastExtra: Record<string, unknown> | string | undefined;
  const describe = (done: number, extra?: Record<string, unknown> | string, status?: string) => {
    const elapsed = (now() - start) / 1000;
    const parts = [
      total > 0 ? `${done}/${total} (${Math.floor((100 * done) / total)}%)` : `${done}`,
    ];
    parts.push(clock(elapsed));
    const initial = options.initial ?? 0;
    if (done > initial && elapsed > 0) {
      const perSecond = (done - initial) / elapsed;
      parts.push(perSecond >= 1 ? `${perSecond.toPrecision(3)}/s` : `${clock(1 / perSecond)} each`);
    }
    if (total > 0 && done > initial && done < total) {
      parts.push(`eta ${clock((elapsed / (done - initial)) * (total - done))}`);
    }
    if (extra !== undefined) parts.push(formatExtra(extra));
    if (status) parts.push(status);
    return parts.join("  ");
  };

  const report = (
    done: number,
    extra: Record<string, unknown> | string | undefined,
    final: boolean,
  ) => {
    const t = now();
    if (mode === "silent") return;
    lastDone = done;
    lastExtra = extra;
    if (mode === "lines") {
      const tenth = total > 0 ? Math.floor((10 * done) / total) : -1;
      // The 100% line is left to done(), which always writes one.
      if (!final && total > 0 && done >= total) return;
      const byTenth = options.everyTenth !== false && total > 0 && tenth > lastTenth;
      const due = final || byTenth || t - last >= lineIntervalMs;
      if (!due) return;
      lastTenth = Math.max(lastTenth, tenth);
      last = t;
      write(
        `${label}: ${describe(done, extra, final ? undefined : options.status?.())}${
          final ? "  done" : ""
        }\n`,
      );
      return;
    }
    if (!final && t - last < intervalMs) return;
    last = t;
    if (mode === "tty") {
      const status = options.status?.();
      write(`\r${label} ${bar(done)}${describe(done, extra, status)}\x1b[K${final ? "\n" : ""}`);
      return;
    }
    // jupyter
    const text = `${label}: ${describe(done, extra)}${final ? "  done" : ""}`;
    const html = total > 0
      ? `<progress value="${Math.min(done, total)}" max="${total}" style="width:240px"></progress> `
      : "";
    const content = {
      data: {
        "text/html": `<div style="font:12px system-ui,sans-serif">${html}${escapeHtml(text)}</div>`,
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

  // the heartbeat (timer based: it cannot fire inside a synchronous loop)
  let timer: ReturnType<typeof setInterval> | undefined;
  if (heartbeatMs > 0 && (mode === "lines" || mode === "tty")) {
    timer = setInterval(() => {
      if (finished) return;
      const t = now();
      const status = options.status?.();
      if (mode === "tty") {
        write(`\r${label} ${bar(lastDone)}${describe(lastDone, lastExtra, status)}\x1b[K`);
      } else if (t - last >= heartbeatMs) {
        last = t;
        write(`${label}: ${describe(lastDone, lastExtra, status)}\n`);
      }
    }, mode === "tty" ? 1000 : Math.min(heartbeatMs, 5000));
    Deno.unrefTimer(timer as unknown as number);
  }

  return {
    mode,
    update(done, extra) {
      if (!finished) report(done, extra, false);
    },
    done(extra) {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearInterval(timer);
      report(total > 0 ? total : lastDone, extra, true);
    },
  };
}

/** "42.0s", "3m 05s", "1h 02m". */
function clock(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${String(Math.floor(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
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
