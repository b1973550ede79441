/**
 * Job ids of the queue: one per (run, candidate), so enqueueing a candidate twice (a resumed
 * coordinator, a retry) finds the existing job instead of adding a second one. BullMQ custom ids
 * may not contain ":" (its key separator) nor be plain integers; run ids and genome hashes here
 * are `[A-Za-z0-9_-]`, anything else is replaced.
 */
export function jobIdOf(runId: string, key: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_");
  if (!runId || !key) throw new TypeError(`jobIdOf: empty run id or key ("${runId}", "${key}")`);
  return `${safe(runId)}.${safe(key)}`;
}
