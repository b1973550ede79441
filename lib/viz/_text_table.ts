/** Aligned plain-text tables for terminals (columns padded by display width, two spaces apart). */

/** Display width: counts code points, so `×` and `é` are one column wide. */
export function displayWidth(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, align: "left" | "right"): string {
  const gap = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? gap + text : text + gap;
}

/**
 * Header, a dashed rule, then rows; `align[i]` per column (default left). Newlines become spaces.
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ("left" | "right")[] = [],
): string {
  const clean = (s: string) => s.replace(/\s*\n\s*/g, " ");
  const all = [header.map(clean), ...rows.map((r) => r.map(clean))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ""))));
  const line = (r: readonly string[]) =>
    r.map((c, i) => pad(c ?? "", widths[i], align[i] ?? "left")).join("  ").trimEnd();
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)]
    .join("\n");
}
