/**
 * Runs an attack over examples, one record per example appended as soon as it is produced
 * (e.g. to lib/track's `Run.appendRecord`), resumable: pass the keys already recorded
 * (`resumeRun(...).completedKeys()`) and only the remaining examples are attacked, so nothing
 * is lost or repeated. Every example is checked against the attack's columns before the first
 * query. Records are plain JSON (see `AttackRecord`); `attackMetrics` accepts them directly.
 */
import type { Attack, LabelledInput } from "./attack.ts";
import type { AttackResult, ResultType } from "./attack_result.ts";

/** Anything that stores records (lib/track's `Run` fits). */
export interface RecordAppender {
  appendRecord(record: Record<string, unknown>): void;
}

export interface AttackRecord {
  /** Identifies the example for resuming. */
  key: string;
  index: number;
  resultType: ResultType;
  groundTruth: number;
  originalText: string;
  originalTextB?: string;
  perturbedText: string;
  perturbedTextB?: string;
  /** Class probabilities. */
  originalOutput: number[];
  perturbedOutput: number[];
  numQueries: number;
  numWords: number;
  numWordsChanged: number;
  perturbedWordPercent: number;
  /** Modified word indices of the perturbed text. */
  modifiedIndices: number[];
  [extra: string]: unknown;
}

export interface RunAttackOptions<E extends LabelledInput> {
  /** Where records go as they are produced. */
  run?: RecordAppender;
  /** Keys already done (skipped here). */
  resume?: ReadonlySet<string>;
  /** Key of an example; default its index as a string. Keys must be unique. */
  keyOf?: (example: E, index: number) => string;
  /** Called after each example (records already appended). */
  onResult?: (result: AttackResult, record: AttackRecord) => void | Promise<void>;
  /** Extra fields copied into every record (e.g. { recipe: "textfooler" }). */
  recordFields?: Record<string, unknown>;
}

export interface RunAttackOutput {
  /** Results of the examples attacked in this call. */
  results: AttackResult[];
  records: AttackRecord[];
  /** Keys skipped because `resume` had them. */
  resumed: string[];
}

/** A result as a JSON record. */
export function toRecord(result: AttackResult, key: string, index: number): AttackRecord {
  const o = result.original.attackedText, p = result.perturbed.attackedText;
  const rec: AttackRecord = {
    key,
    index,
    resultType: result.resultType,
    groundTruth: result.groundTruth,
    originalText: o.columns[0],
    perturbedText: p.columns[0],
    originalOutput: [...result.original.output],
    perturbedOutput: [...result.perturbed.output],
    numQueries: result.numQueries,
    numWords: result.numWords,
    numWordsChanged: result.numWordsChanged,
    perturbedWordPercent: result.perturbedWordPercent,
    modifiedIndices: [...p.attrs.modifiedIndices].sort((a, b) => a - b),
  };
  if (o.textB !== undefined) rec.originalTextB = o.textB;
  if (p.textB !== undefined) rec.perturbedTextB = p.textB;
  return rec;
}

export async function runAttack<E extends LabelledInput>(
  attack: Attack,
  examples: readonly E[],
  options: RunAttackOptions<E> = {},
): Promise<RunAttackOutput> {
  const {
    run,
    resume = new Set<string>(),
    keyOf = (_e: E, i: number) => String(i),
    onResult,
    recordFields = {},
  } = options;
  const keys = examples.map((e, i) => keyOf(e, i));
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    if (typeof k !== "string") {
      throw new TypeError(`runAttack: key of example ${i} must be a string`);
    }
    if (seen.has(k)) {
      throw new RangeError(`runAttack: examples ${seen.get(k)} and ${i} share the key "${k}"`);
    }
    seen.set(k, i);
  });
  examples.forEach((e, i) => attack.checkInput(e, `runAttack: example ${i} (key "${keys[i]}")`));
  const out: RunAttackOutput = { results: [], records: [], resumed: [] };
  for (let i = 0; i < examples.length; i++) {
    const key = keys[i];
    if (resume.has(key)) {
      out.resumed.push(key);
      continue;
    }
    const result = await attack.attack(examples[i], { key });
    const record = { ...recordFields, ...toRecord(result, key, i) };
    run?.appendRecord(record);
    out.results.push(result);
    out.records.push(record);
    await onResult?.(result, record);
  }
  return out;
}
