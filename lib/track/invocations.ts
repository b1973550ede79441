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

/**
 * What this resume repaired, one line per file ("records.jsonl line 7: a torn last line (40 bytes)
 * dropped; its work is done again"), or [] when nothing was: for the command line to say so.
 */
export function repairLines(
  history: readonly (HistoryEvent & {
    repairs?: readonly { file: string; line: number; action: string; bytes: number }[];
  })[],
): string[] {
  const last = history.at(-1);
  if (last?.event !== "resumed") return [];
  return (last.repairs ?? []).map((r) =>
    `${r.file.split("/").at(-1)} line ${r.line}: ${
      r.action === "dropped"
        ? `a torn last line (${r.bytes} bytes) dropped; its work is done again`
        : `a last line without its newline (${r.bytes} bytes) completed`
    }`
  );
}
