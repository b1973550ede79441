/**
 * `Chart`: a rendered SVG chart as a display object. In Jupyter it shows as `image/svg+xml`
 * (frontends draw it as an isolated image, so its ids and styles cannot leak into the page); in a
 * terminal it prints a one-line description; `svg` is the markup to save as `chart.svg`, and
 * `toHtml()` / `toDataUrl()` embed it in an HTML report.
 */
import { base64Utf8, DisplayObject, JUPYTER_DISPLAY, type MimeBundle } from "./_display.ts";
import { escapeHtml } from "./escape_html.ts";

export interface ChartOptions {
  /** Shown in the terminal description and as the HTML `aria-label`. Default: none. */
  title?: string;
}

export class Chart extends DisplayObject {
  readonly svg: string;
  readonly title: string | undefined;

  constructor(svg: string, options: ChartOptions = {}) {
    super();
    if (!/^\s*<svg[\s>]/.test(svg)) {
      throw new TypeError(`Chart expects SVG markup starting with <svg, got "${svg.slice(0, 40)}"`);
    }
    this.svg = svg;
    this.title = options.title;
  }

  /** Width and height from the root element's attributes (NaN when absent). */
  get size(): { width: number; height: number } {
    const head = this.svg.slice(0, this.svg.indexOf(">"));
    const attr = (name: string) =>
      Number(head.match(new RegExp(` ${name}="([\\d.]+)"`))?.[1] ?? NaN);
    return { width: attr("width"), height: attr("height") };
  }

  /** `data:image/svg+xml;base64,…` for an `<img src>`. */
  toDataUrl(): string {
    return `data:image/svg+xml;base64,${base64Utf8(this.svg)}`;
  }

  toHtml(): string {
    const label = this.title ? ` aria-label="${escapeHtml(this.title)}"` : "";
    return `<figure style="margin:0"${label}>${this.svg}</figure>`;
  }

  toString(): string {
    const { width, height } = this.size;
    const kb = (new TextEncoder().encode(this.svg).length / 1024).toFixed(1);
    const name = this.title ? `"${this.title}" ` : "";
    return `Chart ${name}(${width}x${height} SVG, ${kb} kB)`;
  }

  override [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.svg, "text/plain": this.toString() };
  }
}
