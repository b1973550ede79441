/**
 * The display protocol shared by every display object (DESIGN.md rule 12): Deno's Jupyter kernel
 * calls `[Symbol.for("Jupyter.display")]()` for a MIME bundle; the terminal (`console.log`, the
 * REPL) calls `[Symbol.for("Deno.customInspect")]`, which prints `toString()`.
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;
export const DENO_INSPECT: unique symbol = Symbol.for("Deno.customInspect") as never;

/** A Jupyter MIME bundle (`text/plain`, `text/html`, `image/svg+xml`, …). */
export type MimeBundle = Record<string, string>;

export abstract class DisplayObject {
  /** Self-contained HTML (every data string escaped), for notebooks and HTML reports. */
  abstract toHtml(): string;
  /** Readable plain text for terminals and logs. */
  abstract toString(): string;

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }

  [DENO_INSPECT](): string {
    return this.toString();
  }
}

/** UTF-8 safe base64 of a string. */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
