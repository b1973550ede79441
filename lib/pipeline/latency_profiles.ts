/**
 * Latency at several batch sizes (`EvalSettings.latencyProfiles`; KD-NAS reports CPU latency at
 * batch 1 and at batch 32): lib/search_space's one latency probe, once per profile.
 */
import type { Classifier } from "../models/mod.ts";
import { measureLatency } from "../search_space/tfjs.ts";
import type { EvalSettings } from "./settings.ts";

/** Each of `settings.latencyProfiles` measured (median, min and max of its repeats). */
export function latencyProfiles(
  model: Classifier,
  s: EvalSettings,
): Record<string, LatencySummary> | undefined {
  if (!s.latencyProfiles?.length) return undefined;
  return Object.fromEntries(s.latencyProfiles.map((p) => {
    const r = measureLatency(model, p);
    return [p.name, {
      batchSize: p.batchSize,
      medianMs: r.medianMs,
      minMs: r.minMs,
      maxMs: r.maxMs,
    }];
  }));
}

export interface LatencySummary {
  batchSize: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}
