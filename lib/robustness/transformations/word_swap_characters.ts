/**
 * Character-level word swaps (TextAttack's `WordSwapNeighboringCharacterSwap`,
 * `WordSwapRandomCharacterSubstitution`, `WordSwapRandomCharacterInsertion`,
 * `WordSwapRandomCharacterDeletion`, `WordSwapQWERTY`, `WordSwapHomoglyphSwap`), used by
 * DeepWordBug (Gao et al. 2018) and TextBugger (Li et al. 2019).
 *
 * With `randomOne` (the default except for homoglyphs) one random position gives one candidate;
 * otherwise every position gives one. Randomness comes from a seeded `Prng` (the attack reseeds
 * it per example, so results do not depend on the order examples are attacked in).
 */
import { Prng } from "../../random/mod.ts";
import { WordSwap } from "./word_swap.ts";

export interface CharacterSwapOptions {
  /** One random candidate per word instead of all; default true (homoglyphs: false). */
  randomOne?: boolean;
  /** Never edit the first character; default false (QWERTY: true). */
  skipFirstChar?: boolean;
  /** Never edit the last character; default false (QWERTY: true). */
  skipLastChar?: boolean;
  /** Random stream; default `Prng.fromSeed(0)`; the attack replaces it per example. */
  prng?: Prng;
}

const ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

abstract class CharacterSwap extends WordSwap {
  override readonly deterministic: boolean;
  readonly randomOne: boolean;
  readonly skipFirstChar: boolean;
  readonly skipLastChar: boolean;
  protected prng: Prng;

  constructor(options: CharacterSwapOptions, defaults: { randomOne: boolean; skip: boolean }) {
    super();
    this.randomOne = options.randomOne ?? defaults.randomOne;
    this.skipFirstChar = options.skipFirstChar ?? defaults.skip;
    this.skipLastChar = options.skipLastChar ?? defaults.skip;
    this.prng = options.prng ?? Prng.fromSeed(0);
    this.deterministic = !this.randomOne && !this.usesRandomLetters();
  }

  protected usesRandomLetters(): boolean {
    return false;
  }

  resetRandom(prng: Prng): void {
    this.prng = prng;
  }

  /** Positions `[start, end)` this edit may touch in a word of `n` characters. */
  protected range(n: number, lastOffset: number): [number, number] {
    return [this.skipFirstChar ? 1 : 0, this.skipLastChar ? n - 1 - lastOffset : n - lastOffset];
  }

  /** Candidates for the positions, one position at random when `randomOne`. */
  protected pick(start: number, end: number, make: (i: number) => string | undefined): string[] {
    if (start >= end) return [];
    if (this.randomOne) {
      const c = make(start + this.prng.int(end - start));
      return c === undefined ? [] : [c];
    }
    const out: string[] = [];
    for (let i = start; i < end; i++) {
      const c = make(i);
      if (c !== undefined) out.push(c);
    }
    return out;
  }
}

/** Swaps two neighbouring characters ("good" -> "godo"). */
export class WordSwapNeighboringCharacterSwap extends CharacterSwap {
  readonly name = "WordSwapNeighboringCharacterSwap";
  constructor(options: CharacterSwapOptions = {}) {
    super(options, { randomOne: true, skip: false });
  }
  replacementWords(word: string): string[] {
    const c = [...word];
    if (c.length <= 1) return [];
    const [s, e] = this.range(c.length, 1);
    return this.pick(s, e, (i) => [...c.slice(0, i), c[i + 1], c[i], ...c.slice(i + 2)].join(""));
  }
}

/** Replaces one character by a random ASCII letter. */
export class WordSwapRandomCharacterSubstitution extends CharacterSwap {
  readonly name = "WordSwapRandomCharacterSubstitution";
  constructor(options: CharacterSwapOptions = {}) {
    super(options, { randomOne: true, skip: false });
  }
  protected override usesRandomLetters(): boolean {
    return true;
  }
  replacementWords(word: string): string[] {
    const c = [...word];
    if (c.length <= 1) return [];
    const [s, e] = this.range(c.length, 0);
    return this.pick(
      s,
      e,
      (i) => [...c.slice(0, i), this.prng.pick([...ASCII_LETTERS]), ...c.slice(i + 1)].join(""),
    );
  }
}

/** Inserts a random letter (TextBugger inserts a space: `lettersToInsert: " "`). */
export class WordSwapRandomCharacterInsertion extends CharacterSwap {
  readonly name = "WordSwapRandomCharacterInsertion";
  readonly lettersToInsert: readonly string[];
  constructor(options: CharacterSwapOptions & { lettersToInsert?: string } = {}) {
    super(options, { randomOne: true, skip: false });
    this.lettersToInsert = [...(options.lettersToInsert ?? ASCII_LETTERS)];
    if (this.lettersToInsert.length === 0) {
      throw new RangeError("WordSwapRandomCharacterInsertion: lettersToInsert is empty");
    }
  }
  protected override usesRandomLetters(): boolean {
    return true;
  }
  replacementWords(word: string): string[] {
    const c = [...word];
    if (c.length <= 1) return [];
    const [s, e] = this.range(c.length, 0);
    return this.pick(
      s,
      e,
      (i) => [...c.slice(0, i), this.prng.pick(this.lettersToInsert), ...c.slice(i)].join(""),
    );
  }
}

/** Deletes one character. */
export class WordSwapRandomCharacterDeletion extends CharacterSwap {
  readonly name = "WordSwapRandomCharacterDeletion";
  constructor(options: CharacterSwapOptions = {}) {
    super(options, { randomOne: true, skip: false });
  }
  replacementWords(word: string): string[] {
    const c = [...word];
    if (c.length <= 1) return [];
    const [s, e] = this.range(c.length, 0);
    return this.pick(s, e, (i) => [...c.slice(0, i), ...c.slice(i + 1)].join(""));
  }
}

const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/**
 * Letters next to each letter on a QWERTY keyboard: same row, or the row above or below within
 * one key-width, with rows staggered by half a key (computed; TextAttack's hand-written table
 * also lists a few diagonal keys, e.g. "q" next to "s").
 */
export const QWERTY_NEIGHBOURS: Readonly<Record<string, readonly string[]>> = (() => {
  const pos = new Map<string, [number, number]>();
  // Each row is shifted right by half a key relative to the one above it.
  KEYBOARD_ROWS.forEach((row, r) => [...row].forEach((ch, c) => pos.set(ch, [r, c + r * 0.5])));
  const out: Record<string, string[]> = {};
  for (const [ch, [r, x]] of pos) {
    out[ch] = [...pos].filter(([o, [r2, x2]]) =>
      o !== ch && Math.abs(r2 - r) <= 1 && Math.abs(x2 - x) <= 1
    )
      .map(([o]) => o);
  }
  return out;
})();

/** Replaces a letter by a neighbouring key (case kept). Defaults: skip first and last char. */
export class WordSwapQWERTY extends CharacterSwap {
  readonly name = "WordSwapQWERTY";
  constructor(options: CharacterSwapOptions = {}) {
    super(options, { randomOne: true, skip: true });
  }
  #neighbours(ch: string): string[] {
    const n = QWERTY_NEIGHBOURS[ch.toLowerCase()] ?? [];
    return ch === ch.toLowerCase() ? [...n] : n.map((x) => x.toUpperCase());
  }
  replacementWords(word: string): string[] {
    const c = [...word];
    if (c.length <= 1) return [];
    const [s, e] = this.range(c.length, 0);
    if (this.randomOne) {
      const options = [];
      for (let i = s; i < e; i++) if (this.#neighbours(c[i]).length > 0) options.push(i);
      if (options.length === 0) return [];
      const i = this.prng.pick(options);
      return [
        [...c.slice(0, i), this.prng.pick(this.#neighbours(c[i])), ...c.slice(i + 1)].join(""),
      ];
    }
    const out: string[] = [];
    for (let i = Math.max(0, s); i < e; i++) {
      for (const k of this.#neighbours(c[i])) {
        out.push([...c.slice(0, i), k, ...c.slice(i + 1)].join(""));
      }
    }
    return out;
  }
}

/** Visually similar characters (the table of TextAttack's `WordSwapHomoglyphSwap`). */
export const HOMOGLYPHS: Readonly<Record<string, string>> = {
  "-": "˗",
  "9": "৭",
  "8": "Ȣ",
  "7": "𝟕",
  "6": "б",
  "5": "Ƽ",
  "4": "Ꮞ",
  "3": "Ʒ",
  "2": "ᒿ",
  "1": "l",
  "0": "O",
  "'": "`",
  a: "ɑ",
  b: "Ь",
  c: "ϲ",
  d: "ԁ",
  e: "е",
  f: "𝚏",
  g: "ɡ",
  h: "հ",
  i: "і",
  j: "ϳ",
  k: "𝒌",
  l: "ⅼ",
  m: "ｍ",
  n: "ո",
  o: "о",
  p: "р",
  q: "ԛ",
  r: "ⲅ",
  s: "ѕ",
  t: "𝚝",
  u: "ս",
  v: "ѵ",
  w: "ԝ",
  x: "×",
  y: "у",
  z: "ᴢ",
};

/** Replaces one character by a look-alike; by default every position gives a candidate. */
export class WordSwapHomoglyphSwap extends CharacterSwap {
  readonly name = "WordSwapHomoglyphSwap";
  constructor(options: CharacterSwapOptions = {}) {
    super(options, { randomOne: false, skip: false });
  }
  replacementWords(word: string): string[] {
    const c = [...word];
    const [s, e] = this.range(c.length, 0);
    return this.pick(
      s,
      e,
      (
        i,
      ) => (HOMOGLYPHS[c[i]]
        ? [...c.slice(0, i), HOMOGLYPHS[c[i]], ...c.slice(i + 1)].join("")
        : undefined),
    );
  }
}
