/**
 * The results table's account of how a run was produced, from run.json's history: when it was
 * resumed and how long each invocation (created or resumed, until the next lifecycle event) took.
 */
import { formatSeconds } from "./format_seconds.ts";

export interface HistoryEvent {
  event: string;
  time: string;
}

/**
 * ", continued with `deno task rosearch --resume <run>` at <times> UTC", or "" if never resumed.
 */
export function resumeNote(history: readonly HistoryEvent[], runDir: string): string {
  const times = history
    .filter((h) => h.event === "resumed")
    .map((h) => h.time.slice(0, 16).replace("T", " "));
  return times.length === 0
    ? ""
    : `, continued with \`deno task rosearch --resume ${runDir}\` at ${times.join(", ")} UTC`;
}

/**
 * Wall time of each invocation, in order; the last one, still running (no later lifecycle event),
 * is given as `currentSeconds`. "status" events do not end an invocation.
 */
export function invocationTimes(history: readonly HistoryEvent[], currentSeconds: number): string {
  const out: string[] = [];
  history.forEach((e, i) => {
    if (e.event !== "created" && e.event !== "resumed") return;
    const next = history.slice(i + 1).find((x) => x.event !== "status");
    out.push(
      next
        ? formatSeconds((Date.parse(next.time) - Date.parse(e.time)) / 1000)
        : `${formatSeconds(currentSeconds)} (this one: search + final stage)`,
    );
  });
  return out.join(", ");
}
