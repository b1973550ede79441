/**
 * Attack = goal function + constraints + transformation + search method (TextAttack's
 * `Attack`). The parts are checked against each other when the attack is built:
 * - the search method must accept the transformation (e.g. word-importance ranking needs word
 *   swaps or deletions; "weighted-saliency" needs word swaps);
 * - a constraint that only judges word swaps (embedding distance, part of speech) needs a
 *   word-swap transformation;
 * - a column constraint (InputColumnModification) needs the attack's inputs to have exactly
 *   its columns (`columnLabels`, e.g. ["premise", "hypothesis"]); every example is checked
 *   against `columnLabels` before it is attacked.
 * Candidates and constraint verdicts are cached per attacked example, as in TextAttack.
 */
import { AttackedText, type TextInput } from "./attacked_text.ts";
import { AttackResult } from "./attack_result.ts";
import type { AnyConstraint, Constraint, PreTransformationConstraint } from "./constraint.ts";
import type { GoalFunctionResult, UntargetedClassification } from "./goal_function.ts";
import type { SearchContext, SearchMethod } from "./search_method.ts";
import type { Transformation } from "./transformation.ts";
import { Lru } from "./_lru.ts";
import { Prng } from "../random/mod.ts";

export interface AttackParts {
  goalFunction: UntargetedClassification;
  constraints: readonly AnyConstraint[];
  transformation: Transformation;
  searchMethod: SearchMethod;
}

export interface AttackOptions {
  /** Input column names; default ["text"]. Pairs: e.g. ["premise", "hypothesis"]. */
  columnLabels?: readonly string[];
  /** Seed of the per-example random streams (random transformations); default 0. */
  seed?: number;
  /** Cached transformation lists (deterministic transformations only); default 2**15. */
  transformationCacheSize?: number;
  /** Cached constraint verdicts; default 2**16. */
  constraintCacheSize?: number;
}

/** An example to attack: input text(s) and the ground-truth label. */
export interface LabelledInput extends TextInput {
  label: number;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class Attack implements SearchContext {
  readonly goalFunction: UntargetedClassification;
  readonly preConstraints: readonly PreTransformationConstraint[];
  readonly constraints: readonly Constraint[];
  readonly transformation: Transformation;
  readonly searchMethod: SearchMethod;
  readonly columnLabels: readonly string[];
  readonly seed: number;
  readonly #transformationCache: Lru<string, AttackedText[]>;
  readonly #constraintCache: Lru<string, boolean>;

  constructor(parts: AttackParts, options: AttackOptions = {}) {
    const { goalFunction, constraints, transformation, searchMethod } = parts;
    const {
      columnLabels = ["text"],
      seed = 0,
      transformationCacheSize = 2 ** 15,
      constraintCacheSize = 2 ** 16,
    } = options;
    if (!goalFunction || !transformation || !searchMethod || !Array.isArray(constraints)) {
      throw new TypeError(
        "Attack needs { goalFunction, constraints: [], transformation, searchMethod }",
      );
    }
    if (columnLabels.length !== 1 && columnLabels.length !== 2) {
      throw new RangeError(
        `Attack: columnLabels must name 1 or 2 columns, got [${columnLabels.join(", ")}]`,
      );
    }
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Attack: seed must be a safe integer, got ${seed}`);
    }
    const why = searchMethod.incompatibility(transformation);
    if (why) {
      throw new TypeError(`Attack: search method ${searchMethod.name} is incompatible: ${why}`);
    }
    const pre: PreTransformationConstraint[] = [];
    const post: Constraint[] = [];
    for (const c of constraints) {
      if (c.stage === "pre") {
        const req: readonly string[] | undefined = c.requiredColumns;
        if (req) {
          const same = req.length === columnLabels.length &&
            req.every((x: string, i: number) => x === columnLabels[i]);
          if (!same) {
            throw new TypeError(
              `Attack: constraint ${c.name} needs inputs with columns [${req.join(", ")}], ` +
                `but this attack's inputs have columns [${columnLabels.join(", ")}]; ` +
                `build the attack with { columnLabels: [${
                  req.map((x: string) => `"${x}"`).join(", ")
                }] } ` +
                `for pair inputs, or leave the constraint out`,
            );
          }
        }
        pre.push(c);
      } else if (c.stage === "post") {
        if (c.supportedKinds) {
          const bad = [...transformation.kinds].filter((k) => !c.supportedKinds!.has(k));
          if (bad.length > 0) {
            throw new TypeError(
              `Attack: constraint ${c.name} only judges ${
                [...c.supportedKinds].join(", ")
              } edits, ` +
                `but transformation ${transformation.name} also makes ${bad.join(", ")} edits`,
            );
          }
        }
        post.push(c);
      } else {
        throw new TypeError(
          `Attack: constraint ${(c as { name?: string }).name ?? "?"} has no stage "pre" or "post"`,
        );
      }
    }
    this.goalFunction = goalFunction;
    this.preConstraints = pre;
    this.constraints = post;
    this.transformation = transformation;
    this.searchMethod = searchMethod;
    this.columnLabels = [...columnLabels];
    this.seed = seed;
    this.#transformationCache = new Lru(transformationCacheSize);
    this.#constraintCache = new Lru(constraintCacheSize);
  }

  /** Throws unless `input` has the columns this attack was built for. */
  checkInput(input: TextInput, where = "input"): void {
    if (typeof input.text !== "string") throw new TypeError(`${where}: text must be a string`);
    const isPair = input.textB !== undefined;
    if (isPair !== (this.columnLabels.length === 2)) {
      throw new TypeError(
        `${where}: this attack expects ${
          this.columnLabels.length === 2 ? "a pair (text + textB)" : "a single text (no textB)"
        } ` +
          `for columns [${this.columnLabels.join(", ")}]`,
      );
    }
  }

  modifiableIndices(current: AttackedText): number[] {
    let allowed: Set<number> | undefined;
    for (const c of this.preConstraints) {
      const ok = c.modifiableIndices(current, this.transformation);
      allowed = allowed ? new Set([...allowed].filter((i) => ok.has(i))) : ok;
    }
    const all = allowed ?? new Set(current.words.map((_, i) => i));
    return [...all].filter((i) => i >= 0 && i < current.numWords).sort((a, b) => a - b);
  }

  async getTransformations(
    current: AttackedText,
    original: AttackedText,
    options: { indicesToModify?: readonly number[] } = {},
  ): Promise<AttackedText[]> {
    let indices = this.modifiableIndices(current);
    if (options.indicesToModify) {
      const want = new Set(options.indicesToModify);
      indices = indices.filter((i) => want.has(i));
    }
    const cacheKey = `${current.key}\u0001${indices.join(",")}`;
    let candidates = this.transformation.deterministic
      ? this.#transformationCache.get(cacheKey)
      : undefined;
    if (!candidates) {
      candidates = (await this.transformation.transform(current, indices)).filter((t) =>
        t.key !== current.key
      );
      if (this.transformation.deterministic) this.#transformationCache.set(cacheKey, candidates);
    }
    return this.#filter(candidates, current, original);
  }

  async #filter(
    texts: AttackedText[],
    current: AttackedText,
    original: AttackedText,
  ): Promise<AttackedText[]> {
    const out: AttackedText[] = [];
    const unknown: AttackedText[] = [];
    for (const t of texts) {
      const v = this.#constraintCache.get(`${current.key}\u0001${t.key}`);
      if (v === true) out.push(t);
      else if (v === undefined) unknown.push(t);
    }
    let pass = unknown;
    for (const c of this.constraints) {
      if (pass.length === 0) break;
      pass = await c.checkMany(pass, c.compareAgainstOriginal ? original : current);
    }
    const passed = new Set(pass);
    for (const t of unknown) {
      this.#constraintCache.set(`${current.key}\u0001${t.key}`, passed.has(t));
    }
    // Keep the transformation's order.
    const ok = new Set([...out, ...pass]);
    return texts.filter((t) => ok.has(t));
  }

  getGoalResults(
    texts: readonly AttackedText[],
  ): Promise<{ results: GoalFunctionResult[]; searchOver: boolean }> {
    return this.goalFunction.getResults(texts);
  }

  /** Attacks one example. `key` seeds its random stream (default: the text itself). */
  async attack(example: LabelledInput, options: { key?: string } = {}): Promise<AttackResult> {
    this.checkInput(example, "Attack.attack");
    const text = AttackedText.fromInput(example, { columnLabels: this.columnLabels });
    this.#transformationCache.clear();
    this.#constraintCache.clear();
    this.transformation.resetRandom?.(
      Prng.fromSeed(this.seed * 1000003 + hashString(options.key ?? text.key)),
    );
    const initial = await this.goalFunction.initAttackExample(text, example.label);
    if (initial.status === "SKIPPED") {
      return new AttackResult("SKIPPED", initial, initial, this.goalFunction.numQueries);
    }
    const final = await this.searchMethod.search(initial, this);
    const queries = this.goalFunction.numQueries;
    final.numQueries = queries;
    const type = final.status === "SUCCEEDED"
      ? "SUCCEEDED"
      : this.goalFunction.budgetExhausted
      ? "MAXIMIZED_QUERIES"
      : "FAILED";
    return new AttackResult(type, initial, final, queries);
  }

  /** The parts, one per line (TextAttack prints attacks this way). */
  toString(): string {
    const lines = [
      "Attack(",
      `  (search_method): ${this.searchMethod.name}`,
      `  (goal_function): UntargetedClassification(queryBudget=${this.goalFunction.queryBudget})`,
      `  (transformation): ${this.transformation.name}`,
      "  (constraints):",
      ...[...this.constraints, ...this.preConstraints].map((c, i) => `    (${i}): ${c.name}`),
      `  (columns): ${this.columnLabels.join(", ")}`,
      ")",
    ];
    return lines.join("\n");
  }
}
