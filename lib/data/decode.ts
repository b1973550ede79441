/**
 * WordPiece ids back to readable text (for showing perturbed inputs, e.g. MATE-KD's x'): special
 * tokens ([CLS], [SEP], [PAD]) are dropped, "##" continuations are joined to the word before, and
 * words touched by a position in `mark` are wrapped as «word» so a table shows what changed.
 * Lower-cased, as the uncased vocabulary; punctuation keeps the space WordPiece split it with.
 */
export function decodeWordPiece(
  ids: ArrayLike<number>,
  vocab: readonly string[],
  options: { mark?: ReadonlySet<number>; offset?: number } = {},
): string {
  const { mark, offset = 0 } = options;
  const words: { text: string; marked: boolean }[] = [];
  for (let i = 0; i < ids.length; i++) {
    const token = vocab[ids[i]];
    if (token === undefined) {
      throw new RangeError(`decodeWordPiece: id ${ids[i]} at ${i} is outside the vocabulary`);
    }
    if (/^\[(CLS|SEP|PAD)\]$/.test(token)) continue;
    const marked = mark?.has(offset + i) ?? false;
    if (token.startsWith("##") && words.length > 0) {
      const last = words[words.length - 1];
      last.text += token.slice(2);
      last.marked ||= marked;
    } else words.push({ text: token, marked });
  }
  return words.map((w) => (w.marked ? `«${w.text}»` : w.text)).join(" ");
}
