/**
 * Observable Plot rendered headlessly to one standalone SVG string.
 *
 * `renderSvg(plotOptions)` takes ordinary `Plot.plot` options. Plot would wrap a chart with a
 * title, subtitle, caption or legend in an HTML `<figure>` (HTML swatch legends cannot go in an
 * `<img>` or an `.svg` file), so those are drawn here instead: the result is always a single
 * `<svg xmlns=…>` with a white background holding the title, the legends (categorical colour and
 * symbol legends as SVG swatches, continuous colour legends as Plot's ramp through a stand-in
 * canvas), the chart, and the caption. Small multiples of separate Plot charts (each with its own
 * scales) are laid out by `renderSvgGrid`.
 *
 * Determinism: Plot numbers clip-path/marker/pattern ids from a process-wide counter; they are
 * renumbered per chart with a prefix hashed from the chart's content (stable, and two different
 * charts inlined on one page do not collide). Decimals in geometric attributes are rounded
 * (default 2 digits).
 */
import * as Plot from "@observablehq/plot";
import { headlessDocument } from "./_dom.ts";
import { serializeXml } from "./_serialize.ts";
import { escapeHtml } from "./escape_html.ts";
import { symbolPath, type SymbolTypeLike } from "./_svg_path.ts";

export interface RenderOptions {
  /** Decimals kept in geometric attributes (`null`: no rounding). Default 2. */
  digits?: number | null;
  /** Background fill; `null` for transparent. Default "white". */
  background?: string | null;
}

/** A rendered block placed in the final SVG. */
interface Block {
  markup: string;
  width: number;
  height: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const FONT = `font-family="system-ui, sans-serif"`;

/** Plot options in, standalone SVG markup out. */
export function renderSvg(plotOptions: Plot.PlotOptions, options: RenderOptions = {}): string {
  const { title, subtitle, caption, ...rest } = plotOptions;
  const blocks = plotBlocks(rest, options);
  return compose(blocks, { title, subtitle, caption }, options);
}

export interface GridOptions extends RenderOptions {
  title?: unknown;
  subtitle?: unknown;
  caption?: unknown;
  /** Charts per row. Default: as many as fit in `maxWidth`. */
  columns?: number;
  /** Width the grid should fit when `columns` is not given. Default 960. */
  maxWidth?: number;
  /** Space between charts in pixels. Default 8. */
  gap?: number;
}

/** Several Plot charts (each with its own scales and legends) laid out as a grid in one SVG. */
export function renderSvgGrid(charts: Plot.PlotOptions[], options: GridOptions = {}): string {
  const { gap = 8, maxWidth = 960 } = options;
  const cells = charts.map((c) => {
    const { title, subtitle, caption, ...rest } = c;
    const inner = plotBlocks(rest, options);
    return stack(withHeader(inner, { title, subtitle, caption }, 14));
  });
  if (cells.length === 0) return compose([], options, options);
  const cellWidth = Math.max(...cells.map((c) => c.width));
  const columns = Math.max(
    1,
    options.columns ?? Math.floor((maxWidth + gap) / (cellWidth + gap)),
  );
  const rows: Block[] = [];
  for (let i = 0; i < cells.length; i += columns) {
    const row = cells.slice(i, i + columns);
    const height = Math.max(...row.map((c) => c.height));
    const markup = row
      .map((c, j) => `<g transform="translate(${j * (cellWidth + gap)},0)">${c.markup}</g>`)
      .join("");
    rows.push({ markup, width: row.length * (cellWidth + gap) - gap, height: height + gap });
  }
  return compose(rows, options, options);
}

/** Renders one Plot chart and its requested legends as blocks (legends first). */
function plotBlocks(plotOptions: Plot.PlotOptions, options: RenderOptions): Block[] {
  const document = headlessDocument();
  const wantColor = legendRequested(plotOptions.color);
  const wantSymbol = legendRequested(plotOptions.symbol);
  const el = Plot.plot({
    ...plotOptions,
    color: withoutLegend(plotOptions.color),
    symbol: withoutLegend(plotOptions.symbol),
    opacity: withoutLegend(plotOptions.opacity),
    r: withoutLegend(plotOptions.r),
    document,
    figure: false,
  } as Plot.PlotOptions) as unknown as Element & Plot.Plot;
  const svg = el.nodeName.toLowerCase() === "svg" ? el : el.querySelector("svg")!;
  const width = Number(svg.getAttribute("width") ?? 640);
  const height = Number(svg.getAttribute("height") ?? 400);
  const blocks: Block[] = [];
  const color = wantColor ? el.scale("color") : undefined;
  const symbol = wantSymbol ? el.scale("symbol") : undefined;
  if (color && isCategorical(color)) {
    const merged = symbol && sameDomain(color.domain, symbol.domain) ? symbol : undefined;
    blocks.push(swatchLegend(color, merged, width, options));
    if (symbol && !merged) blocks.push(swatchLegend(undefined, symbol, width, options));
  } else {
    if (color) {
      const ramp = el.legend("color", { marginLeft: 12, marginRight: 12, width: 264 }) as unknown as
        | Element
        | undefined;
      if (ramp) {
        blocks.push({
          markup: svgAsGroup(serializeXml(ramp as never, { digits: options.digits })),
          width: Number(ramp.getAttribute("width") ?? 240),
          height: Number(ramp.getAttribute("height") ?? 50),
        });
      }
    }
    if (symbol) blocks.push(swatchLegend(undefined, symbol, width, options));
  }
  blocks.push({
    markup: svgAsGroup(serializeXml(svg as never, { digits: options.digits })),
    width,
    height,
  });
  return blocks;
}

/**
 * `<svg …>…</svg>` → `<g …>…</g>` without width/height/viewBox: Plot's stylesheet gives its svg
 * `height: auto`, which a nested svg would resolve against the outer one; a group has no size.
 */
function svgAsGroup(markup: string): string {
  const open = markup.indexOf(">");
  const head = markup.slice(0, open).replace(/^<svg/, "<g").replace(
    / (width|height|viewBox)="[^"]*"/g,
    "",
  );
  return head + markup.slice(open, markup.length - "</svg>".length) + "</g>";
}

function legendRequested(scale: unknown): boolean {
  return typeof scale === "object" && scale !== null &&
    (scale as { legend?: unknown }).legend === true;
}

function withoutLegend<T>(scale: T): T {
  if (typeof scale !== "object" || scale === null) return scale;
  return { ...scale, legend: false } as T;
}

function isCategorical(scale: Plot.Scale): boolean {
  return scale.type === "ordinal" || scale.type === "categorical" || scale.type === "identity" &&
      Array.isArray(scale.domain);
}

function sameDomain(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
    a.every((v, i) => String(v) === String(b[i]));
}

/** Categorical legend as SVG: a swatch (square, or symbol shape) and a label per domain value. */
function swatchLegend(
  color: Plot.Scale | undefined,
  symbol: Plot.Scale | undefined,
  maxWidth: number,
  _options: RenderOptions,
): Block {
  const domain = ((color ?? symbol)!.domain ?? []) as unknown[];
  const colorOf = (i: number) => {
    if (!color) return "currentColor";
    const applied = color.apply?.(domain[i]);
    return String(applied ?? (color.range as unknown[])[i % (color.range as unknown[]).length]);
  };
  const symbolOf = (i: number) =>
    symbol
      ? (symbol.range as unknown as SymbolTypeLike[])[i % (symbol.range as unknown[]).length]
      : undefined;
  const items: string[] = [];
  let x = 0, y = 0;
  const rowHeight = 16, swatch = 12;
  for (let i = 0; i < domain.length; i++) {
    const label = String(domain[i]);
    const w = swatch + 4 + textWidth(label, 10) + 14;
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      y += rowHeight;
    }
    const sym = symbolOf(i);
    const fill = colorOf(i);
    const shape = sym
      ? `<path transform="translate(${x + swatch / 2},${y + swatch / 2})" d="${
        symbolPath(sym, 48)
      }" fill="${color ? escapeHtml(fill) : "none"}" stroke="${
        escapeHtml(fill)
      }" stroke-width="1.5"/>`
      : `<rect x="${x}" y="${y}" width="${swatch}" height="${swatch}" fill="${escapeHtml(fill)}"/>`;
    items.push(
      `${shape}<text x="${x + swatch + 4}" y="${y + swatch / 2}" dy="0.32em">${
        escapeHtml(label)
      }</text>`,
    );
    x += w;
  }
  const markup =
    `<g font-size="10" ${FONT} fill="currentColor" transform="translate(0,4)" aria-label="legend">${
      items.join("")
    }</g>`;
  return { markup, width: maxWidth, height: y + rowHeight + 8 };
}

/** A rough text width (no font metrics headlessly): 0.6 em per character. */
export function textWidth(text: string, fontSize: number): number {
  return Math.ceil(text.length * fontSize * 0.6);
}

interface Header {
  title?: unknown;
  subtitle?: unknown;
  caption?: unknown;
}

/** Title and subtitle above, caption below, as blocks. */
function withHeader(blocks: Block[], header: Header, titleSize = 16): Block[] {
  const out: Block[] = [];
  const width = Math.max(0, ...blocks.map((b) => b.width));
  if (header.title != null) {
    out.push({
      markup:
        `<text x="2" ${FONT} font-size="${titleSize}" font-weight="bold" fill="currentColor" y="${
          titleSize + 2
        }">${escapeHtml(header.title)}</text>`,
      width,
      height: titleSize + 8,
    });
  }
  if (header.subtitle != null) {
    out.push({
      markup: `<text x="2" ${FONT} font-size="12" fill="#555" y="13">${
        escapeHtml(header.subtitle)
      }</text>`,
      width,
      height: 20,
    });
  }
  out.push(...blocks);
  if (header.caption != null) {
    out.push({
      markup: `<text x="2" ${FONT} font-size="11" fill="#555" y="14">${
        escapeHtml(header.caption)
      }</text>`,
      width,
      height: 20,
    });
  }
  return out;
}

/** Blocks stacked vertically into one block. */
function stack(blocks: Block[]): Block {
  let y = 0;
  const parts: string[] = [];
  for (const b of blocks) {
    parts.push(y === 0 ? `<g>${b.markup}</g>` : `<g transform="translate(0,${y})">${b.markup}</g>`);
    y += b.height;
  }
  return { markup: parts.join(""), width: Math.max(0, ...blocks.map((b) => b.width)), height: y };
}

function compose(blocks: Block[], header: Header, options: RenderOptions): string {
  const { background = "white" } = options;
  const body = stack(withHeader(blocks, header));
  const width = Math.max(1, Math.ceil(body.width));
  const height = Math.max(1, Math.ceil(body.height));
  const xlink = body.markup.includes("xlink:") ? ` xmlns:xlink="${XLINK_NS}"` : "";
  const bg = background === null
    ? ""
    : `<rect width="100%" height="100%" fill="${escapeHtml(background)}"/>`;
  const svg = `<svg xmlns="${SVG_NS}"${xlink} width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}"` +
    ` ${FONT} font-size="10">${bg}${body.markup}</svg>`;
  return stableIds(svg);
}

/** Renumbers Plot's counter-based ids (`plot-clip-17`) per chart, prefixed by a content hash. */
export function stableIds(svg: string): string {
  const pattern = /plot-(clip|pattern|marker)-\d+/g;
  const seen = new Map<string, string>();
  const normalized = svg.replace(pattern, (m, kind: string) => {
    if (!seen.has(m)) seen.set(m, `${kind}-${seen.size + 1}`);
    return `plot-${seen.get(m)}`;
  });
  if (seen.size === 0) return normalized;
  const prefix = `p${fnv1a(normalized)}`;
  return normalized.replace(/plot-(clip|pattern|marker)-(\d+)/g, `${prefix}-$1-$2`);
}

/** 32-bit FNV-1a hash as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
