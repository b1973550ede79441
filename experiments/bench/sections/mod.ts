/**
 * Registry of bench sections, in run order. A new section is a file in this folder exporting a
 * `BenchSection` ({ name, description, run(ctx) => Promise<BenchRow[]> }) added to this list.
 */
import type { BenchSection } from "./types.ts";
import { matmulSection } from "./matmul.ts";
import { gatherGradSection } from "./gather_grad.ts";
import { trainStepSection } from "./train_step.ts";
import { searchSection } from "./search.ts";
import { distillSection } from "./distill.ts";
import { attackSection } from "./attack.ts";
import { racingSection } from "./racing.ts";
import { queueSection } from "./queue.ts";
import { mateKdSection } from "./mate_kd.ts";
import { fusedSection } from "./fused.ts";
import { mainJobSection } from "./main_job.ts";

export type { BenchContext, BenchRow, BenchSection } from "./types.ts";

export const SECTIONS: readonly BenchSection[] = [
  matmulSection,
  gatherGradSection,
  trainStepSection,
  distillSection,
  fusedSection,
  mateKdSection,
  attackSection,
  searchSection,
  racingSection,
  queueSection,
  mainJobSection,
];
