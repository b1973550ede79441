/**
 * HTML/XML escaping for every string that comes from data (sentences, op names, labels, run
 * names) before it lands in HTML or SVG markup. The same escape is valid in element text and in
 * double- or single-quoted attribute values, in HTML and in SVG/XML.
 */
const REPLACEMENTS: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes `& < > " '` in `String(value)`; `null`/`undefined` become the empty string. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return "";
  // Drop control characters that are invalid in XML 1.0 (SVG must parse as XML).
  // deno-lint-ignore no-control-regex
  const text = String(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");
  return text.replace(/[&<>"']/g, (c) => REPLACEMENTS[c]);
}
