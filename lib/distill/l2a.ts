/**
 * L2A's training curriculum (Feng et al. 2021, "Learning to Augment for Data-Scarce Domain BERT
 * Knowledge Distillation", AAAI; issue 18): the student is distilled in rounds, and before each
 * round a generator draws candidate augmented examples and a reinforced selector picks which of
 * them the student trains on; the selector (and the generator's mixing of source and target) is
 * rewarded by the student's improvement on target dev data over the round. Plugged into the one
 * distillation loop as its per-epoch data (`train(epoch, prng)`): one epoch = one round of
 * `stepsPerRound` batches, so every method of a comparison runs the same steps, schedule and
 * optimizer; only what fills the batches differs.
 *
 * Per round r (batch size B, S = stepsPerRound, slots = round(augmentedShare x S x B)):
 * 1. Reward for round r - 1 (r >= 1): R = L_dev(r) - L_dev(r - 1), L_dev the student's mean
 *    log-probability of the gold label on the target dev batches; divided by a running standard
 *    deviation of the rewards (decay 0.9) so that one learning rate fits every scale; the
 *    selector takes a REINFORCE step with it (lib/distill selector.ts: moving-average baseline),
 *    and so does the generator's mixing logit theta:
 *    theta += lr_g x advantage x mean_i(d_i - lambda),
 *    d_i = 1 for a target-derived candidate.
 * 2. Generator: `candidatesPerRound` candidates, each from the target pool with probability
 *    lambda = sigmoid(theta) and else from the source pool (uniform within a pool). The pools
 *    hold what the caller generated (masked-LM rewrites of target and source sentences, source
 *    sentences as they are); lambda is fixed when `learnMixing` is false or a pool is empty.
 * 3. Selector features per candidate (z-scored within the round where marked *): domain
 *    (target 1 / source 0), rewritten (1 / 0), teacher confidence max p_T*, teacher agrees with
 *    the candidate's inherited label (1 / 0), student disagreement softCE(S, T)*, cosine of the
 *    teacher's [CLS] state to the target centroid*, length in tokens / maxLength.
 * 4. Batches: the kept candidates (in random order, at most `slots`) plus gold target examples
 *    (cycled through a seeded order) to fill S x B; so a selector that keeps nothing trains on
 *    target data alone. With `selector: "none"` the slots are filled with random candidates
 *    (the heuristic baselines: EDA, masked-LM augmentation); with `augmentedShare: 0`, target
 *    data alone.
 * Ours, where the abstract and talk are silent: the features, the reward (dev log-likelihood,
 * smoother than dev accuracy on a small dev set), the reward normalisation, the round length,
 * the fixed share of augmented slots, and the generator's update (its mixing of the two domains;
 * the rewriting masked LM itself is not trained).
 */
import * as tf from "@tensorflow/tfjs";
import { type BertTokenizer, bucketBatches, type EncodedBatch, type Example } from "../data/mod.ts";
import type { Classifier } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import { ReinforcedSelector, type SelectorState } from "./selector.ts";

export interface L2aCandidate extends Example {
  domain: "source" | "target";
  rewritten: boolean;
}

export const L2A_FEATURES = [
  "target",
  "rewritten",
  "teacherConfidence",
  "teacherAgrees",
  "studentDisagreement",
  "targetSimilarity",
  "length",
] as const;

export interface L2aCurriculumOptions {
  /** Gold target examples (in every round). */
  target: readonly Example[];
  /** Candidate pools (either may be empty; not both when augmentedShare > 0). */
  pools: { target: readonly L2aCandidate[]; source: readonly L2aCandidate[] };
  /** Target dev batches with labels (the reward). */
  dev: readonly EncodedBatch[];
  teacher: Classifier;
  student: Classifier;
  tokenizer: BertTokenizer;
  maxLength: number;
  batchSize: number;
  stepsPerRound: number;
  /** Share of each round's examples taken from candidates. */
  augmentedShare: number;
  /** "reinforce": L2A's selector; "none": random candidates fill the slots. */
  selector: "reinforce" | "none";
  candidatesPerRound?: number;
  /** Initial share lambda of target-derived candidates; default 0.5. */
  mixing?: number;
  learnMixing?: boolean;
  /** Selector learning rate per candidate-mean gradient; default 5. */
  selectorLearningRate?: number;
  /** Generator mixing-logit learning rate; default 2. */
  mixingLearningRate?: number;
  seed: number;
}

export interface L2aRound {
  round: number;
  /** Student's mean gold log-probability and accuracy on target dev before the round. */
  devLogLik: number;
  devAccuracy: number;
  /** Raw reward for the previous round (null in round 0) and its normalised advantage. */
  reward: number | null;
  advantage: number | null;
  /** Generator's target share lambda for this round. */
  mixing: number;
  candidates: number;
  kept: number;
  used: number;
  /** Of the candidates used: share from the target pool, and rewritten. */
  usedTarget: number;
  usedRewritten: number;
  meanKeepProbability: number;
}

export interface L2aCurriculum {
  /** distill's `data.train`. */
  train(epoch: number, prng: Prng): EncodedBatch[];
  readonly history: readonly L2aRound[];
  /** Examples used in the last round (to show what the selector picked). */
  readonly lastUsed: readonly L2aCandidate[];
  selectorState(): SelectorState | null;
  /** The dev measurement after the final round (call once distill has returned). */
  finalDev(): { devLogLik: number; devAccuracy: number };
}

function devMetrics(student: Classifier, dev: readonly EncodedBatch[]) {
  let ll = 0, correct = 0, n = 0;
  for (const b of dev) {
    const [logp, pred] = tf.tidy(() => {
      const lp = tf.logSoftmax(student.forward(b, { training: false }).logits);
      const gold = tf.oneHot(tf.tensor1d(b.labels!, "int32"), lp.shape[1]);
      return [tf.sum(tf.mul(lp, gold), 1), tf.argMax(lp, 1)];
    });
    const l = logp.dataSync(), p = pred.dataSync();
    tf.dispose([logp, pred]);
    for (let i = 0; i < b.batchSize; i++) {
      ll += l[i];
      if (p[i] === b.labels![i]) correct++;
    }
    n += b.batchSize;
  }
  return { devLogLik: ll / n, devAccuracy: correct / n };
}

/** Teacher probabilities and [CLS] state, and the student's disagreement, per example. */
function scoreCandidates(
  items: readonly Example[],
  o: L2aCurriculumOptions,
): { pT: Float32Array[]; cls: Float32Array[]; disagreement: Float32Array; tokens: Int32Array } {
  const n = items.length;
  const pT = new Array<Float32Array>(n), cls = new Array<Float32Array>(n);
  const disagreement = new Float32Array(n), tokens = new Int32Array(n);
  const batches = bucketBatches(items as Example[], o.tokenizer, {
    batchSize: 64,
    maxLength: o.maxLength,
    shuffle: false,
  });
  for (const b of batches) {
    const [probs, state, dis] = tf.tidy(() => {
      const t = o.teacher.forward(b, { training: false, outputHidden: true });
      const s = o.student.forward(b, { training: false });
      const p = tf.softmax(t.logits);
      const last = t.hidden[t.hidden.length - 1];
      const c = tf.squeeze(tf.slice(last, [0, 0, 0], [-1, 1, -1]), [1]);
      const d = tf.neg(tf.sum(tf.mul(p, tf.logSoftmax(s.logits)), 1));
      return [p, c, d];
    });
    const pv = probs.arraySync() as number[][], cv = state.arraySync() as number[][];
    const dv = dis.dataSync();
    tf.dispose([probs, state, dis]);
    b.indices.forEach((i, r) => {
      pT[i] = Float32Array.from(pv[r]);
      cls[i] = Float32Array.from(cv[r]);
      disagreement[i] = dv[r];
      let len = 0;
      for (let q = 0; q < b.seqLen; q++) len += b.attentionMask[r * b.seqLen + q];
      tokens[i] = len;
    });
  }
  return { pT, cls, disagreement, tokens };
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb + 1e-12);
};

function zscore(x: number[]): number[] {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length) || 1;
  return x.map((v) => Math.max(-3, Math.min(3, (v - m) / sd)));
}

export function l2aCurriculum(o: L2aCurriculumOptions): L2aCurriculum {
  const rowsPerRound = o.stepsPerRound * o.batchSize;
  const slots = Math.round(o.augmentedShare * rowsPerRound);
  const candidatesPerRound = o.candidatesPerRound ?? 2 * Math.max(slots, 1);
  const hasTarget = o.pools.target.length > 0, hasSource = o.pools.source.length > 0;
  if (!(o.augmentedShare >= 0 && o.augmentedShare < 1)) {
    throw new RangeError(
      `l2aCurriculum: augmentedShare must be in [0, 1), got ${o.augmentedShare}`,
    );
  }
  if (slots > 0 && !hasTarget && !hasSource) {
    throw new RangeError("l2aCurriculum: augmentedShare > 0 but both candidate pools are empty");
  }
  if (o.target.length === 0) throw new RangeError("l2aCurriculum: no target examples");
  if (o.dev.length === 0 || o.dev.some((b) => !b.labels)) {
    throw new RangeError("l2aCurriculum: dev batches with labels are needed (the reward)");
  }
  const prng = Prng.fromSeed(o.seed);
  const drawPrng = prng.fork(), selectPrng = prng.fork(), fillPrng = prng.fork();
  const selector = o.selector === "reinforce"
    ? ReinforcedSelector.create(L2A_FEATURES.length, {
      learningRate: (o.selectorLearningRate ?? 5) / candidatesPerRound,
    })
    : null;
  const fixedMixing = !hasTarget ? 0 : !hasSource ? 1 : null;
  let theta = Math.log((o.mixing ?? 0.5) / (1 - (o.mixing ?? 0.5)));
  const learnMixing = (o.learnMixing ?? true) && fixedMixing === null;
  const lambda = () => fixedMixing ?? 1 / (1 + Math.exp(-theta));
  let mixingBaseline: number | null = null;
  // the target centroid of the teacher's [CLS] states
  const targetScore = scoreCandidates(o.target, o);
  const centroid = new Float32Array(targetScore.cls[0].length);
  for (const c of targetScore.cls) for (let j = 0; j < c.length; j++) centroid[j] += c[j];
  const history: L2aRound[] = [];
  let lastUsed: L2aCandidate[] = [];
  let previous: { features: number[][]; keep: boolean[]; domains: number[] } | null = null;
  let previousLogLik: number | null = null;
  let rewardVar: number | null = null;
  let targetOrder: number[] = [];

  const nextTarget = (): Example => {
    if (targetOrder.length === 0) targetOrder = fillPrng.shuffle(o.target.map((_, i) => i));
    return o.target[targetOrder.pop()!];
  };

  const train = (epoch: number, order: Prng): EncodedBatch[] => {
    const dev = devMetrics(o.student, o.dev);
    let reward: number | null = null, advantage: number | null = null;
    if (previousLogLik !== null) {
      reward = dev.devLogLik - previousLogLik;
      rewardVar = rewardVar === null ? reward * reward : 0.9 * rewardVar + 0.1 * reward * reward;
      const scaled = reward / (Math.sqrt(rewardVar) + 1e-8);
      if (selector && previous) {
        advantage = selector.update(previous.features, previous.keep, scaled).advantage;
      }
      if (learnMixing && previous) {
        const a = mixingBaseline === null ? 0 : scaled - mixingBaseline;
        const l = lambda();
        const g = previous.domains.reduce((s, d) => s + (d - l), 0) / previous.domains.length;
        theta += (o.mixingLearningRate ?? 2) * a * g;
        theta = Math.max(-6, Math.min(6, theta));
        mixingBaseline = mixingBaseline === null ? scaled : 0.9 * mixingBaseline + 0.1 * scaled;
        advantage ??= a;
      }
    }
    previousLogLik = dev.devLogLik;
    const mixing = lambda();
    let used: L2aCandidate[] = [];
    let kept = 0, meanP = 1;
    previous = null;
    if (slots > 0) {
      const drawn: L2aCandidate[] = [];
      for (let i = 0; i < candidatesPerRound; i++) {
        const fromTarget = drawPrng.next() < mixing;
        const pool = fromTarget ? o.pools.target : o.pools.source;
        drawn.push(pool[drawPrng.int(pool.length)]);
      }
      if (selector) {
        const s = scoreCandidates(drawn, o);
        const dis = zscore([...s.disagreement]);
        const sim = zscore(s.cls.map((c) => cosine(c, centroid)));
        const features = drawn.map((c, i) => {
          const p = s.pT[i], top = p.indexOf(Math.max(...p));
          return [
            c.domain === "target" ? 1 : 0,
            c.rewritten ? 1 : 0,
            (Math.max(...p) - 0.75) * 4,
            top === c.label ? 1 : 0,
            dis[i],
            sim[i],
            s.tokens[i] / o.maxLength,
          ];
        });
        const choice = selector.select(features, selectPrng);
        kept = choice.keep.filter(Boolean).length;
        meanP = choice.p.reduce((a, b) => a + b, 0) / choice.p.length;
        const keptIdx = drawn.map((_, i) => i).filter((i) => choice.keep[i]);
        used = selectPrng.shuffle(keptIdx).slice(0, slots).map((i) => drawn[i]);
        previous = {
          features,
          keep: choice.keep,
          domains: drawn.map((c) => (c.domain === "target" ? 1 : 0)),
        };
      } else {
        kept = drawn.length;
        used = drawn.slice(0, slots);
        previous = { features: [], keep: [], domains: drawn.map((c) => +(c.domain === "target")) };
      }
    }
    lastUsed = used;
    const rows: Example[] = [...used];
    while (rows.length < rowsPerRound) rows.push(nextTarget());
    history.push({
      round: epoch,
      ...dev,
      reward,
      advantage,
      mixing,
      candidates: slots > 0 ? candidatesPerRound : 0,
      kept,
      used: used.length,
      usedTarget: used.length ? used.filter((c) => c.domain === "target").length / used.length : 0,
      usedRewritten: used.length ? used.filter((c) => c.rewritten).length / used.length : 0,
      meanKeepProbability: meanP,
    });
    // exactly stepsPerRound full batches: the step budget is the same for every method
    return bucketBatches(rows, o.tokenizer, {
      batchSize: o.batchSize,
      maxLength: o.maxLength,
      prng: order,
    });
  };

  return {
    train,
    history,
    get lastUsed() {
      return lastUsed;
    },
    selectorState: () => selector?.state() ?? null,
    finalDev: () => devMetrics(o.student, o.dev),
  };
}
