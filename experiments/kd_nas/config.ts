/**
 * Settings of `deno task kdnas` (ours where the KD-NAS paper and its re-implementations are
 * silent; METHODS.md): every candidate is distilled on the same proxy subset of SST-2 train
 * (KL at T = 2 + CE, one epoch, the RoSearch proxy recipe) and scored on the same 1,000
 * held-out sentences; no search-time attack (KD-NAS's reward has no robustness term unless
 * `reward.gamma` > 0); latency on this CPU at batch 1 (the reward's) and at batch 32.
 */
import { heldOutOf } from "../../lib/project/mod.ts";
import type { EvalSettings } from "../../lib/pipeline/mod.ts";
import type { KdNasArch } from "../../lib/search_space/mod.ts";

export interface KdNasPreset {
  eval: EvalSettings;
  search: {
    episodes: number;
    perEpisode: number;
    poolSize: number;
    workers: number;
    epsilon: { start: number; decay: number; min: number };
    iterations: number;
  };
  /** MnasNet-form reward (lib/search `kdnas_reward`) on the `profile` latency. */
  reward: { alpha: number; beta: number; gamma: number; profile: string };
  final: { trainSize: number; epochs: number; latencyTolerance: number };
}

/** The hand-crafted comparison: the TinyBERT-style student's shape (lib/distill TINYBERT_SIZE). */
export const HAND_CRAFTED: KdNasArch = {
  layers: 4,
  heads: 4,
  hidden: 64,
  intermediate: 4,
  activation: "gelu",
};

export function kdnasPreset(name: "default" | "ci"): KdNasPreset {
  const ci = name === "ci";
  const sst2 = heldOutOf("sst2");
  return {
    eval: {
      dataset: "sst2",
      heldOut: { size: ci ? 200 : 1000, seed: sst2.seed, sentences: { minWords: 8 } },
      proxy: { size: ci ? 256 : 2000, seed: 1 },
      validation: { size: ci ? 64 : 1000, seed: 2 },
      attack: { recipe: "textfooler", examples: 0, queryBudget: 1 },
      train: {
        epochs: 1,
        batchSize: 32,
        maxLength: 64,
        learningRate: 2e-3,
        objective: { kl: { weight: 0.5, temperature: 2 }, ce: { weight: 0.5 } },
      },
      latency: { batchSize: 32, seqLen: 64, repeats: ci ? 2 : 5, warmup: 1 },
      latencyProfiles: [
        { name: "b1", batchSize: 1, seqLen: 64, repeats: ci ? 3 : 20, warmup: 2 },
        { name: "b32", batchSize: 32, seqLen: 64, repeats: ci ? 2 : 5, warmup: 1 },
      ],
    },
    search: {
      episodes: ci ? 2 : 10,
      perEpisode: ci ? 3 : 10,
      poolSize: ci ? 20 : 100,
      workers: 2,
      epsilon: { start: 1, decay: 0.1, min: 0.05 },
      iterations: ci ? 50 : 300,
    },
    reward: { alpha: -0.07, beta: 1, gamma: 0, profile: "b1" },
    final: { trainSize: ci ? 256 : 8000, epochs: 1, latencyTolerance: 0.25 },
  };
}
