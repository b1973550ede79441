/**
 * One teacher timing per run. The fitness of every candidate divides by the teacher's latency
 * (RoSearch's latency term, KD-NAS's reward), and a latency measured again on resume differs
 * (measured: 13.5 vs 15.7 ms at batch 1 on the same machine an hour apart), which would score the
 * candidates of one run on two scales. So the first invocation's timing is kept in the run's
 * `teacher.json` artifact and a resumed invocation reuses it (same teacher sha256 only).
 */
import type { Run } from "../track/mod.ts";
import type { PreparedTeacher } from "./teacher.ts";

export const TEACHER_ARTIFACT = "teacher.json";

/** The prepared teacher with the run's pinned timing; writes the artifact on first use. */
export function pinTeacherTiming(
  run: Run,
  prep: PreparedTeacher,
): PreparedTeacher & { pinned: boolean } {
  let saved: { sha256?: string; latencyMs?: number; latencies?: unknown } | null = null;
  try {
    saved = JSON.parse(Deno.readTextFileSync(run.artifactPath(TEACHER_ARTIFACT)));
  } catch { /* first invocation */ }
  if (saved && saved.sha256 === prep.info.sha256 && typeof saved.latencyMs === "number") {
    const info = {
      ...prep.info,
      latencyMs: saved.latencyMs,
      ...(saved.latencies ? { latencies: saved.latencies as typeof prep.info.latencies } : {}),
    };
    return { ...prep, info, pinned: true };
  }
  run.writeArtifact(TEACHER_ARTIFACT, { ...prep.info, caches: prep.caches });
  return { ...prep, pinned: false };
}
