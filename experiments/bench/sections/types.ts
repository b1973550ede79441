/** Contract of a bench section: a file in this folder, registered in mod.ts. */
import type { BackendReport } from "../../../lib/backend/mod.ts";

export interface BenchRow {
  section: string;
  /** What was measured, e.g. "matmul 512x512x512". */
  name: string;
  value: number;
  unit: string; // "ms", "GFLOP/s", "x", ...
  note?: string;
}

export interface BenchContext {
  /** Short run for CI (fewer repeats). */
  quick: boolean;
  backend: BackendReport;
  /** Rows of the sections that already ran, by section name. */
  results: Map<string, BenchRow[]>;
}

export interface BenchSection {
  name: string;
  /** One line shown in --help. */
  description: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/** Median of repeated timings (ms) after `warmup` untimed calls. */
export function timeMedian(fn: () => void, options: { warmup: number; repeats: number }): number {
  for (let i = 0; i < options.warmup; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const m = ts.length >> 1;
  return ts.length % 2 ? ts[m] : (ts[m - 1] + ts[m]) / 2;
}
