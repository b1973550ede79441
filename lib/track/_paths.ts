/**
 * Name checks that keep every write of lib/track under its `root` (private to lib/track).
 *
 * Experiment names and run ids are one path segment; artifact and chart names may hold
 * `/`-separated sub-folders. Every segment matches `SEGMENT` (so no `..`, no leading dot, no
 * backslash, no absolute path), and the joined path is checked to stay inside its parent.
 */
import { isAbsolute, join, relative, resolve } from "node:path";

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=+-]*$/;
const ALLOWED = "letters, digits and . _ = + - (not starting with . or -)";

/** Checks a single-segment name (experiment, runId); returns it unchanged. */
export function checkSegment(kind: string, name: string): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`${kind} must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (name.includes("/") || name.includes("\\") || isAbsolute(name)) {
    throw new RangeError(`${kind} "${name}" must not contain path separators; allowed: ${ALLOWED}`);
  }
  if (name.includes("..") || !SEGMENT.test(name) || name.length > 120) {
    throw new RangeError(
      `${kind} "${name}" is not allowed; use ${ALLOWED}, at most 120 characters`,
    );
  }
  return name;
}

/** `base/name` for a relative name made of `/`-separated safe segments; throws otherwise. */
export function confinedJoin(base: string, kind: string, name: string): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`${kind} name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (isAbsolute(name) || name.includes("\\")) {
    throw new RangeError(
      `${kind} name "${name}" must be a relative path using "/", inside ${base}`,
    );
  }
  for (const part of name.split("/")) {
    if (part === ".." || part === "." || part === "") {
      throw new RangeError(
        `${kind} name "${name}" must not contain "${part}" segments (stays inside ${base})`,
      );
    }
    if (!SEGMENT.test(part)) {
      throw new RangeError(
        `${kind} name "${name}": segment "${part}" is not allowed; use ${ALLOWED}`,
      );
    }
  }
  const full = join(base, ...name.split("/"));
  const rel = relative(resolve(base), resolve(full));
  if (rel.startsWith("..") || isAbsolute(rel) || rel === "") {
    throw new RangeError(`${kind} name "${name}" resolves outside ${base}`);
  }
  return full;
}
