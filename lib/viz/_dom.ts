/**
 * The headless DOM that Observable Plot draws into (linkedom 0.18.9, pinned: see ENVIRONMENT.md).
 *
 * linkedom has no canvas, and Plot's continuous colour legend paints a 256x1 canvas and embeds
 * `canvas.toDataURL()`. The stand-in canvas below records the colours Plot paints and returns a
 * small SVG image holding the same colours as a linear gradient, so continuous legends work
 * headlessly and their output is deterministic.
 */
import { parseHTML } from "linkedom";

let cached: Document | undefined;

/** One shared headless document (creating one costs about a millisecond; reuse it). */
export function headlessDocument(): Document {
  if (cached) return cached;
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const doc = document as unknown as Document;
  const createElement = doc.createElement.bind(doc);
  (doc as { createElement: (name: string, options?: unknown) => unknown }).createElement = (
    name: string,
    options?: unknown,
  ) =>
    name.toLowerCase() === "canvas"
      ? new GradientCanvas()
      : createElement(name, options as ElementCreationOptions);
  cached = doc;
  return doc;
}

/** Records `fillRect` colours on a 1-pixel-high strip; `toDataURL` returns an SVG gradient. */
class GradientCanvas {
  width = 256;
  height = 1;
  #colors: string[] = [];
  getContext(kind: string) {
    if (kind !== "2d") return null;
    const colors = this.#colors;
    return {
      fillStyle: "black",
      fillRect(x: number) {
        colors[Math.round(x)] = String(this.fillStyle);
      },
    };
  }
  toDataURL(): string {
    const colors = this.#colors.filter((c) => c !== undefined);
    // 17 stops are visually identical to 256 for Plot's smooth schemes and keep the file small.
    const n = Math.min(17, colors.length);
    const stops: string[] = [];
    for (let k = 0; k < n; k++) {
      const i = n === 1 ? 0 : Math.round((k * (colors.length - 1)) / (n - 1));
      const offset = n === 1 ? 0 : Math.round((k / (n - 1)) * 1000) / 10;
      stops.push(`<stop offset="${offset}%" stop-color="${colors[i]}"/>`);
    }
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}"` +
      ` preserveAspectRatio="none" viewBox="0 0 ${this.width} ${this.height}">` +
      `<linearGradient id="g">${stops.join("")}</linearGradient>` +
      `<rect width="${this.width}" height="${this.height}" fill="url(#g)"/></svg>`;
    return `data:image/svg+xml;base64,${btoa(svg)}`;
  }
}
