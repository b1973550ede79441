/**
 * Row validation at the boundary (DESIGN.md rule 8): every loader cuts a line into named cells,
 * then a zod schema checks and converts them; the first issue becomes
 * `Cannot load <file>: line <n>: <issue>`.
 */
import { z } from "zod";
import { lineError, type TextLine } from "./_files.ts";

/** A label cell: one of the allowed strings, converted to its class index. */
export function labelCell(
  allowed: Readonly<Record<string, number>>,
): z.ZodType<number, z.ZodTypeDef, string> {
  const names = Object.keys(allowed);
  const what = names.length === 2 ? `${names[0]} or ${names[1]}` : `one of ${names.join(", ")}`;
  return z.string().transform((value, ctx) => {
    if (!Object.hasOwn(allowed, value)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `label must be ${what}, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return allowed[value];
  });
}

/** A text cell: trimmed (GLUE keeps a space before the tab), must not be empty. */
export function textCell(name: string): z.ZodType<string, z.ZodTypeDef, string> {
  return z.string().transform((value, ctx) => {
    const t = value.trim();
    if (t.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} is empty` });
      return z.NEVER;
    }
    return t;
  });
}

/** Labels "0".."n-1" as used by GLUE and TextFooler files. */
export function indexLabels(n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) out[String(i)] = i;
  return out;
}

/**
 * Splits a line on tabs only (GLUE MRPC contains quote characters: no CSV quoting) and checks the
 * count.
 */
export function tabCells(
  display: string,
  line: TextLine,
  expected: number,
  form: string,
): string[] {
  const cells = line.text.split("\t");
  if (cells.length !== expected) {
    throw lineError(
      display,
      line.line,
      `has ${cells.length} columns, expected ${expected} (${form})`,
    );
  }
  return cells;
}

/** Validates one row object with `schema`; the first zod issue names the file and line. */
export function parseRow<S extends z.ZodTypeAny>(
  schema: S,
  row: z.input<S>,
  display: string,
  line: number,
): z.output<S> {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 && issue.code !== z.ZodIssueCode.custom
    ? ` (${issue.path.join(".")})`
    : "";
  throw lineError(display, line, `is invalid${where}: ${issue.message}`);
}

/** Checks a header line exactly. */
export function expectHeader(display: string, line: TextLine | undefined, header: string): void {
  if (line === undefined) {
    throw new SyntaxError(
      `Cannot load ${display}: the file is empty, expected header ${show(header)}`,
    );
  }
  if (line.text !== header) {
    throw lineError(
      display,
      line.line,
      `is ${JSON.stringify(line.text)}, expected the header ${show(header)}`,
    );
  }
}

/** `a<TAB>b` for messages. */
export function show(tsv: string): string {
  return tsv.replaceAll("\t", "<TAB>");
}
