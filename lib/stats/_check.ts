/** Argument checks shared by the lib/stats functions (messages name the function and the rule). */

/** A confidence level strictly between 0 and 1. */
export function checkConfidence(where: string, confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${where}: confidence must be in (0, 1), got ${confidence}`);
  }
}

/** A non-negative integer count. */
export function checkCount(where: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a non-negative integer, got ${value}`);
  }
}

/** A positive integer (number of permutations, resamples). */
export function checkPositive(where: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${value}`);
  }
}
