/**
 * Seeded pseudo-random numbers for everything in the project (DESIGN.md rule 7:
 * nothing in lib/ calls Math.random).
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter, as in PractRand),
 * seeded through splitmix32 so that nearby integer seeds give unrelated streams.
 * Its whole state is four 32-bit words, which `state()` returns and `Prng.fromState`
 * restores: a search saves it after every evaluation and resumes with the same stream.
 */
export type PrngState = readonly [number, number, number, number];

export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  private constructor(state: PrngState) {
    [this.#a, this.#b, this.#c, this.#d] = state.map((x) => x >>> 0);
  }

  /** A generator from an integer seed (any safe integer; negative and large values are fine). */
  static fromSeed(seed: number): Prng {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Prng seed must be a safe integer, got ${seed}`);
    }
    let s = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
    const next = () => {
      // splitmix32
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const p = new Prng([next(), next(), next(), next()]);
    for (let i = 0; i < 12; i++) p.nextUint32();
    return p;
  }

  /** Restores a generator saved with `state()`. */
  static fromState(state: PrngState): Prng {
    if (!Array.isArray(state) || state.length !== 4 || state.some((x) => !Number.isInteger(x))) {
      throw new TypeError(`Prng state must be four 32-bit integers, got ${JSON.stringify(state)}`);
    }
    return new Prng(state);
  }

  /** The current state; `Prng.fromState(p.state())` continues the same stream. */
  state(): PrngState {
    return [this.#a, this.#b, this.#c, this.#d];
  }

  /**
   * Continues in place from `state` (four 32-bit words, signed or unsigned): for code that
   * advances this stream outside JS, e.g. the fused dropout kernel (lib/backend `_fused.wat`),
   * which runs the same sfc32 steps in wasm and hands the state back.
   */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) {
      throw new TypeError(`Prng state must be four words, got ${state.length}`);
    }
    this.#a = state[0] >>> 0;
    this.#b = state[1] >>> 0;
    this.#c = state[2] >>> 0;
    this.#d = state[3] >>> 0;
  }

  /** A new independent generator derived from this one (advances this one). */
  fork(): Prng {
    return new Prng([this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()]);
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(`Prng.int needs a positive integer, got ${n}`);
    }
    return Math.floor(this.next() * n);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Prng.pick needs a non-empty array");
    return items[this.int(items.length)];
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** A seed for tfjs initialisers and other seed-taking APIs. */
  seed(): number {
    return this.nextUint32() & 0x7fffffff;
  }
}
