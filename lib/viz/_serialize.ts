/**
 * XML serialisation of a (linkedom) DOM subtree. linkedom's `outerHTML` leaves `&` and `<` raw
 * inside attribute values, which breaks an SVG that must parse as XML (a file, an `<img>`), so
 * charts are serialised here: every attribute value and text node is escaped, and long decimals
 * in geometric attributes are rounded (default 2 digits) so output is small and stable.
 */
import { escapeHtml } from "./escape_html.ts";

interface NodeLike {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<NodeLike>;
  attributes?: ArrayLike<{ name: string; value: string }>;
}

/** Attributes whose numbers are left alone (identifiers, links, text for people). */
const KEEP_NUMBERS = /^(id|class|href|xlink:href|aria-.*|data-.*|style|font-.*|text-anchor)$/;
const VOID_OK = true;

/**
 * Rounds every decimal number in `text` to `digits` decimals (`-0` becomes `0`). Hex colours
 * are left alone (`#e5e5e5` is not the number 5e5).
 */
export function roundNumbers(text: string, digits = 2): string {
  const scale = 10 ** digits;
  return text.replace(/#[0-9a-f]{3,8}\b|-?\d*\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+/gi, (m) => {
    if (m.startsWith("#")) return m;
    const rounded = Math.round(Number(m) * scale) / scale;
    return String(rounded === 0 ? 0 : rounded);
  });
}

export interface SerializeOptions {
  /**
   * Decimal digits kept in geometric attributes; `null` keeps them as Plot wrote them. Default 2.
   */
  digits?: number | null;
}

export function serializeXml(node: NodeLike, options: SerializeOptions = {}): string {
  const digits = options.digits === undefined ? 2 : options.digits;
  const out: string[] = [];
  const walk = (n: NodeLike) => {
    if (n.nodeType === 3) {
      out.push(escapeHtml(n.textContent ?? ""));
      return;
    }
    if (n.nodeType === 8) return; // comments
    if (n.nodeType !== 1) {
      for (const c of Array.from(n.childNodes)) walk(c);
      return;
    }
    const name = n.nodeName.toLowerCase() === n.nodeName ? n.nodeName : fixCase(n.nodeName);
    out.push(`<${name}`);
    for (const attr of Array.from(n.attributes ?? [])) {
      let value = attr.value;
      if (digits !== null && !KEEP_NUMBERS.test(attr.name)) value = roundNumbers(value, digits);
      out.push(` ${attr.name}="${escapeHtml(value)}"`);
    }
    const children = Array.from(n.childNodes);
    if (children.length === 0 && VOID_OK) {
      out.push("/>");
      return;
    }
    out.push(">");
    for (const c of children) walk(c);
    out.push(`</${name}>`);
  };
  walk(node);
  return out.join("");
}

/** SVG element names are case-sensitive (linearGradient, clipPath); linkedom may upper-case. */
const SVG_NAMES = new Map(
  ["linearGradient", "radialGradient", "clipPath", "textPath", "foreignObject", "feGaussianBlur"]
    .map((n) => [n.toLowerCase(), n]),
);
function fixCase(name: string): string {
  const lower = name.toLowerCase();
  return SVG_NAMES.get(lower) ?? lower;
}
