/** Field accessors shared by the chart functions: a key of the row, or a function of it. */
export type Field<T> = keyof T & string | string | ((row: T, index: number) => unknown);

/** Reads `field` from `row`; a string field is a property name. */
export function read<T>(row: T, field: Field<T>, index = 0): unknown {
  if (typeof field === "function") return field(row, index);
  return (row as Record<string, unknown>)[field];
}

/** A finite number, or undefined for anything else (null, NaN, strings that are not numbers). */
export function num(value: unknown): number | undefined {
  const n = typeof value === "number"
    ? value
    : typeof value === "string" && value.trim() !== ""
    ? Number(value)
    : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The name to print for a field (a function field prints as `fallback`). */
export function fieldName<T>(field: Field<T>, fallback: string): string {
  return typeof field === "function" ? fallback : field;
}
