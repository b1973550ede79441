/**
 * One line on what a worker pool is doing, for progress lines:
 * "running: final_train 120/400 steps (1m 35s), final_eval 12/40 pwws examples (30s); 3 queued".
 */
import type { PoolActivity } from "./worker_pool.ts";

export function describeActivity(a: PoolActivity): string {
  const seconds = (s: number) =>
    s < 60
      ? `${s.toFixed(0)}s`
      : `${Math.floor(s / 60)}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  const running = a.running.map((r) =>
    `${r.kind}${r.progress ? ` ${r.progress.done}/${r.progress.total} ${r.progress.unit}` : ""} (${
      seconds(r.seconds)
    })`
  );
  const parts = [running.length > 0 ? `running: ${running.join(", ")}` : "no task running"];
  if (a.queued > 0) parts.push(`${a.queued} queued`);
  return parts.join("; ");
}
