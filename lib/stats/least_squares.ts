/** Ordinary least squares with an intercept, solved by Householder QR. */

export interface LeastSquaresFit {
  /** Coefficients: `beta[0]` is the intercept, `beta[j + 1]` belongs to column j of X. */
  beta: number[];
  /** 1 - SS_res / SS_tot; NaN when y is constant (SS_tot = 0). */
  r2: number;
  /**
   * 1 - (1 - R²)(n - 1)/(n - p), p = columns of X + 1 (the intercept); NaN when n = p (no
   * residual degrees of freedom) or when R² is NaN.
   */
  adjustedR2: number;
  /** sqrt(SS_res / (n - p)); NaN when n = p. */
  residualSd: number;
}

/**
 * Least squares of y on [1, X] (an intercept column is added; X is n rows of predictors, all of
 * the same length, possibly none). Householder QR rather than the normal equations, so a
 * badly-scaled X loses half as many digits (Golub & Van Loan, Matrix Computations, §5.3).
 * Throws a RangeError when the lengths disagree, when n is smaller than the number of
 * coefficients, or when a column is (numerically) a combination of the others.
 */
export function leastSquares(
  X: readonly (readonly number[])[],
  y: readonly number[],
): LeastSquaresFit {
  const n = X.length, p = (X[0]?.length ?? 0) + 1;
  if (n !== y.length) {
    throw new RangeError(`leastSquares: X has ${n} rows but y has ${y.length} values`);
  }
  const ragged = X.findIndex((row) => row.length !== p - 1);
  if (ragged >= 0) {
    throw new RangeError(
      `leastSquares: row ${ragged} of X has ${X[ragged].length} values, row 0 has ${p - 1}`,
    );
  }
  if (n < p) {
    throw new RangeError(
      `leastSquares: ${n} rows for ${p} coefficients (intercept + ${p - 1}); ` +
        `needs at least ${p} rows`,
    );
  }
  const A = X.map((row) => [1, ...row]); // [n, p]
  const b = [...y]; // [n]
  for (let k = 0; k < p; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += A[i][k] ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-12) throw new RangeError(dependent(k));
    const alpha = A[k][k] > 0 ? -norm : norm;
    const v = new Array<number>(n).fill(0);
    for (let i = k; i < n; i++) v[i] = A[i][k];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += v[i] ** 2;
    if (vv === 0) continue;
    for (let j = k; j < p; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i] * A[i][j];
      const f = (2 * s) / vv;
      for (let i = k; i < n; i++) A[i][j] -= f * v[i];
    }
    let s = 0;
    for (let i = k; i < n; i++) s += v[i] * b[i];
    const f = (2 * s) / vv;
    for (let i = k; i < n; i++) b[i] -= f * v[i];
  }
  for (let k = 0; k < p; k++) {
    if (Math.abs(A[k][k]) < 1e-9 * Math.max(1, Math.abs(A[0][0]))) {
      throw new RangeError(dependent(k));
    }
  }
  // back substitution R beta = Q'y
  const beta = new Array<number>(p).fill(0);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < p; j++) s -= A[k][j] * beta[j];
    beta[k] = s / A[k][k];
  }
  const my = y.reduce((a, c) => a + c, 0) / n;
  let ssRes = 0, ssTot = 0;
  X.forEach((row, i) => {
    const pred = beta[0] + row.reduce((a, x, j) => a + x * beta[j + 1], 0);
    ssRes += (y[i] - pred) ** 2;
    ssTot += (y[i] - my) ** 2;
  });
  const r2 = ssTot === 0 ? NaN : 1 - ssRes / ssTot;
  return {
    beta,
    r2,
    adjustedR2: n - p > 0 ? 1 - (1 - r2) * (n - 1) / (n - p) : NaN,
    residualSd: n > p ? Math.sqrt(ssRes / (n - p)) : NaN,
  };
}

const dependent = (k: number) =>
  `leastSquares: column ${k} of [1, X] (0 is the intercept) is linearly dependent on the ` +
  "columns before it; drop or combine predictors";
