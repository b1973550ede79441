/** Cell formatting shared by the table-like display objects. */

export interface FormatOptions {
  /** Decimals for non-integer numbers. Default 3. */
  digits?: number;
  /** Print as a percentage (x100, `digits - 2` decimals, at least 1). Default false. */
  percent?: boolean;
}

/**
 * A value as short text: integers as is (with k/M/G suffix from 1e6 up), other numbers with
 * `digits` decimals, NaN as "NaN", null/undefined as "", objects and arrays as compact JSON
 * (cut to 60 characters).
 */
export function formatValue(value: unknown, options: FormatOptions = {}): string {
  const { digits = 3, percent = false } = options;
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
    if (percent) return `${(value * 100).toFixed(Math.max(1, digits - 2))}%`;
    const a = Math.abs(value);
    if (a >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
    if (a >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
    if (Number.isInteger(value)) return String(value);
    if (a !== 0 && a < 10 ** -digits) return value.toExponential(1);
    return value.toFixed(digits);
  }
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return value.toISOString();
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

/** Flattens nested plain objects into dotted keys (`config.search.population`), depth 4. */
export function flatten(
  value: Record<string, unknown>,
  prefix = "",
  depth = 4,
): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (
      depth > 1 && typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date)
    ) {
      out.push(...flatten(v as Record<string, unknown>, key, depth - 1));
    } else out.push([key, v]);
  }
  return out;
}
