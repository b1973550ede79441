/**
 * AttackedText: the text under attack, split into words with character offsets, plus the
 * bookkeeping an attack needs (which words were modified, where each original word went).
 * Mirrors TextAttack's `textattack.shared.AttackedText` (QData/TextAttack).
 *
 * Word splitting follows TextAttack's `words_from_text`: a word is a maximal run of letters,
 * digits, `_`, apostrophes, hyphens, `*`, `@` (and the homoglyph characters TextAttack's
 * `WordSwapHomoglyphSwap` produces), with leading `'`, `-`, `_`, `*`, `@` stripped. Punctuation
 * and spacing stay in the text: a replacement edits only the word's characters.
 *
 * Sentence pairs: `columns` holds one text per input column (`text` or e.g. `premise` /
 * `hypothesis`); `words` runs over all columns in order and `wordColumn(i)` tells which
 * column word `i` belongs to (TextAttack's `words_per_input`).
 */

/** One model input: a text, or a pair (premise / hypothesis, sentence1 / sentence2). */
export interface TextInput {
  text: string;
  textB?: string;
}

/** Where a word sits: its column and `[start, end)` character offsets in that column's text. */
export interface WordSpan {
  column: number;
  start: number;
  end: number;
}

/** Attack bookkeeping (TextAttack's `attack_attrs`). */
export interface AttackAttrs {
  /** Indices (in this text's word space) modified since the original. */
  readonly modifiedIndices: ReadonlySet<number>;
  /** Indices modified by the last edit only. */
  readonly newlyModifiedIndices: ReadonlySet<number>;
  /** For each word of the original text, its index here, or -1 once deleted. */
  readonly originalIndexMap: Int32Array;
  /** The text this one was derived from. */
  readonly previous?: AttackedText;
  /** Name of the transformation that produced this text. */
  lastTransformation?: string;
  /** Set by a sentence-similarity constraint; used to choose among successful candidates. */
  similarityScore?: number;
}

// TextAttack's homoglyph characters that are not letters or digits (the rest are \p{L}/\p{N}).
const WORD_RE = /[\p{L}\p{N}\p{M}_'\-*@`×˗]+/gu;
const LEADING_RE = /^['\-_*@]+/;

/** Words of a string with offsets (TextAttack's `words_from_text`). */
export function splitWords(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const raw = m[0];
    const stripped = raw.replace(LEADING_RE, "");
    if (stripped.length === 0) continue;
    const start = m.index! + raw.length - stripped.length;
    out.push({ word: stripped, start, end: start + stripped.length });
  }
  return out;
}

/** Just the words of a string. */
export function wordsFromText(text: string): string[] {
  return splitWords(text).map((w) => w.word);
}

export const DEFAULT_COLUMN_LABELS: Readonly<Record<1 | 2, readonly string[]>> = {
  1: ["text"],
  2: ["premise", "hypothesis"],
};

export interface AttackedTextOptions {
  /** Names of the columns; default `["text"]` or `["premise", "hypothesis"]`. */
  columnLabels?: readonly string[];
}

export class AttackedText {
  readonly columns: readonly string[];
  readonly columnLabels: readonly string[];
  readonly words: readonly string[];
  readonly spans: readonly WordSpan[];
  readonly attrs: AttackAttrs;
  #key: string | undefined;

  constructor(
    columns: readonly string[],
    options: AttackedTextOptions & { attrs?: AttackAttrs } = {},
  ) {
    if (columns.length !== 1 && columns.length !== 2) {
      throw new RangeError(`AttackedText takes 1 or 2 columns, got ${columns.length}`);
    }
    for (const c of columns) {
      if (typeof c !== "string") {
        throw new TypeError(`AttackedText column must be a string, got ${typeof c}`);
      }
    }
    const labels = options.columnLabels ?? DEFAULT_COLUMN_LABELS[columns.length as 1 | 2];
    if (labels.length !== columns.length) {
      throw new RangeError(
        `AttackedText: ${columns.length} column(s) but ${labels.length} column label(s) [${
          labels.join(", ")
        }]`,
      );
    }
    this.columns = [...columns];
    this.columnLabels = [...labels];
    const words: string[] = [];
    const spans: WordSpan[] = [];
    columns.forEach((text, column) => {
      for (const w of splitWords(text)) {
        words.push(w.word);
        spans.push({ column, start: w.start, end: w.end });
      }
    });
    this.words = words;
    this.spans = spans;
    this.attrs = options.attrs ?? {
      modifiedIndices: new Set(),
      newlyModifiedIndices: new Set(),
      originalIndexMap: Int32Array.from(words, (_, i) => i),
    };
  }

  /** From a model input (`textB` makes it a pair). */
  static fromInput(input: TextInput, options: AttackedTextOptions = {}): AttackedText {
    const cols = input.textB === undefined ? [input.text] : [input.text, input.textB];
    return new AttackedText(cols, options);
  }

  /** All columns joined by a newline (TextAttack's `.text`). */
  get text(): string {
    return this.columns.join("\n");
  }

  /** The second column of a pair, if any. */
  get textB(): string | undefined {
    return this.columns[1];
  }

  get numWords(): number {
    return this.words.length;
  }

  /** A string that identifies the content (all columns), for caches. */
  get key(): string {
    return (this.#key ??= this.columns.join("\u0000"));
  }

  toInput(): TextInput {
    return this.columns.length === 1
      ? { text: this.columns[0] }
      : { text: this.columns[0], textB: this.columns[1] };
  }

  /** Column index of word `i`. */
  wordColumn(i: number): number {
    this.#checkIndex(i, "wordColumn");
    return this.spans[i].column;
  }

  /** Words grouped by column (TextAttack's `words_per_input`). */
  wordsPerInput(): string[][] {
    const out: string[][] = this.columns.map(() => []);
    this.words.forEach((w, i) => out[this.spans[i].column].push(w));
    return out;
  }

  /** Indices `i < min(lengths)` where the words differ (TextAttack's `all_words_diff`). */
  allWordsDiff(other: AttackedText): Set<number> {
    const out = new Set<number>();
    const n = Math.min(this.words.length, other.words.length);
    for (let i = 0; i < n; i++) if (this.words[i] !== other.words[i]) out.add(i);
    return out;
  }

  /**
   * Word range `[start, end]` (inclusive) of a window of `windowSize` words around `index`,
   * as TextAttack's `text_window_around_index` chooses it.
   */
  windowAround(index: number, windowSize: number): [number, number] {
    this.#checkIndex(index, "windowAround");
    const n = this.words.length;
    const half = (windowSize - 1) / 2;
    if (index - half < 0) return [0, Math.min(windowSize - 1, n - 1)];
    if (index + half >= n) return [Math.max(0, n - windowSize), n - 1];
    return [index - Math.ceil(half), index + Math.floor(half)];
  }

  /** The words of that window. */
  wordWindow(index: number, windowSize: number): string[] {
    const [s, e] = this.windowAround(index, windowSize);
    return this.words.slice(s, e + 1) as string[];
  }

  /** A copy with word `i` replaced by `newWord` (which may hold several words, or none). */
  replaceWordAt(i: number, newWord: string): AttackedText {
    return this.replaceWordsAt([i], [newWord]);
  }

  /** A copy with several words replaced at once. */
  replaceWordsAt(indices: readonly number[], newWords: readonly string[]): AttackedText {
    if (indices.length !== newWords.length) {
      throw new RangeError(
        `replaceWordsAt: ${indices.length} indices but ${newWords.length} words`,
      );
    }
    const edits = new Map<number, string>();
    indices.forEach((i, k) => {
      this.#checkIndex(i, "replaceWordsAt");
      if (typeof newWords[k] !== "string") {
        throw new TypeError(`replaceWordsAt: word ${k} is not a string`);
      }
      edits.set(i, newWords[k]);
    });
    return this.#edit(edits);
  }

  /** A copy without word `i` (one adjacent space goes too). */
  deleteWordAt(i: number): AttackedText {
    return this.replaceWordAt(i, "");
  }

  /** A copy with `text` (one or more words) inserted before word `i`. */
  insertWordsBefore(i: number, text: string): AttackedText {
    this.#checkIndex(i, "insertWordsBefore");
    return this.replaceWordAt(i, `${text} ${this.words[i]}`);
  }

  /** A copy with `text` inserted after word `i`. */
  insertWordsAfter(i: number, text: string): AttackedText {
    this.#checkIndex(i, "insertWordsAfter");
    return this.replaceWordAt(i, `${this.words[i]} ${text}`);
  }

  /** Indices of the original text's words that no longer stand unchanged in `perturbed`. */
  static changedOriginalIndices(original: AttackedText, perturbed: AttackedText): Set<number> {
    const out = new Set<number>();
    const map = perturbed.attrs.originalIndexMap;
    if (map.length !== original.numWords) return original.allWordsDiff(perturbed);
    for (let j = 0; j < map.length; j++) {
      if (map[j] === -1 || perturbed.attrs.modifiedIndices.has(map[j])) out.add(j);
    }
    return out;
  }

  /**
   * Column texts cut into segments, `changed` set on the words whose index is in `highlight`
   * (for display: `diff`, `AttackResultView`).
   */
  segments(highlight: ReadonlySet<number>): { text: string; changed: boolean }[][] {
    const out: { text: string; changed: boolean }[][] = this.columns.map(() => []);
    const pos = this.columns.map(() => 0);
    this.words.forEach((_, i) => {
      const { column, start, end } = this.spans[i];
      if (!highlight.has(i)) return;
      const text = this.columns[column];
      if (start > pos[column]) {
        out[column].push({ text: text.slice(pos[column], start), changed: false });
      }
      out[column].push({ text: text.slice(start, end), changed: true });
      pos[column] = end;
    });
    this.columns.forEach((text, c) => {
      if (pos[c] < text.length) out[c].push({ text: text.slice(pos[c]), changed: false });
    });
    return out;
  }

  /**
   * Plain-text diff against a perturbed version: changed words in `[[...]]`, original first,
   * then the perturbed text, as TextAttack prints results.
   */
  diff(perturbed: AttackedText): { original: string; perturbed: string } {
    const mark = (t: AttackedText, idx: Set<number>) =>
      t.segments(idx).map((segs) =>
        segs.map((s) => (s.changed ? `[[${s.text}]]` : s.text)).join("")
      ).join("\n");
    return {
      original: mark(this, AttackedText.changedOriginalIndices(this, perturbed)),
      perturbed: mark(perturbed, new Set(perturbed.attrs.modifiedIndices)),
    };
  }

  toString(): string {
    return this.text;
  }

  #checkIndex(i: number, where: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.words.length) {
      throw new RangeError(
        `AttackedText.${where}: word index ${i} out of range [0, ${this.words.length})`,
      );
    }
  }

  #edit(edits: Map<number, string>): AttackedText {
    const n = this.words.length;
    const slotStart = new Int32Array(n);
    const slotWords: string[][] = new Array(n);
    const newColumns: string[] = [];
    let newIndex = 0;
    let wi = 0;
    this.columns.forEach((text, c) => {
      let out = "";
      let pos = 0;
      for (; wi < n && this.spans[wi].column === c; wi++) {
        const { start, end } = this.spans[wi];
        const rep = edits.get(wi);
        slotStart[wi] = newIndex;
        if (rep === undefined) {
          out += text.slice(pos, end);
          pos = end;
          slotWords[wi] = [this.words[wi]];
          newIndex++;
          continue;
        }
        let from = start;
        let after = end;
        if (rep === "") {
          // Deleting a word also removes its stripped leading characters ("'s") and one
          // adjacent whitespace character.
          while (from > pos && "'-_*@".includes(text[from - 1])) from--;
        }
        let before = text.slice(pos, from);
        if (rep === "") {
          if (/\s/u.test(text[end] ?? "")) after = end + 1;
          else if (/\s$/u.test(before)) before = before.slice(0, -1);
        }
        out += before + rep;
        pos = after;
        slotWords[wi] = wordsFromText(rep);
        newIndex += slotWords[wi].length;
      }
      out += text.slice(pos);
      newColumns.push(out);
    });
    const attrs = {
      modifiedIndices: new Set<number>(),
      newlyModifiedIndices: new Set<number>(),
      originalIndexMap: new Int32Array(this.attrs.originalIndexMap.length),
      previous: this as AttackedText,
    };
    const result = new AttackedText(newColumns, { columnLabels: this.columnLabels, attrs });
    if (result.words.length !== newIndex) {
      throw new Error(
        `AttackedText: edits ${
          JSON.stringify([...edits])
        } of "${this.text}" gave ${result.words.length} words, ` +
          `expected ${newIndex}; a replacement merged with its neighbours`,
      );
    }
    for (const m of this.attrs.modifiedIndices) {
      for (let k = 0; k < slotWords[m].length; k++) attrs.modifiedIndices.add(slotStart[m] + k);
    }
    for (const [i, rep] of edits) {
      if (rep === this.words[i]) continue;
      for (let k = 0; k < slotWords[i].length; k++) {
        attrs.modifiedIndices.add(slotStart[i] + k);
        attrs.newlyModifiedIndices.add(slotStart[i] + k);
      }
    }
    const oldMap = this.attrs.originalIndexMap;
    for (let o = 0; o < oldMap.length; o++) {
      const cur = oldMap[o];
      if (cur === -1) {
        attrs.originalIndexMap[o] = -1;
        continue;
      }
      const ws = slotWords[cur];
      const old = this.words[cur];
      if (ws.length === 0) attrs.originalIndexMap[o] = -1;
      else if (ws[0] !== old && ws[ws.length - 1] === old) {
        attrs.originalIndexMap[o] = slotStart[cur] + ws.length - 1;
      } else attrs.originalIndexMap[o] = slotStart[cur];
    }
    return result;
  }
}
