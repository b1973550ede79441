/** Per-text seeds for augmenters that must give the same output for the same (seed, text). */

/** A seed from (seed, text): FNV-1a of the text in the low 32 bits. */
export function textSeed(seed: number, text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return (Math.abs(Math.trunc(seed)) % 2 ** 20) * 2 ** 32 + h;
}
