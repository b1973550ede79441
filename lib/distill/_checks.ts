/**
 * Shape checks shared by the losses: each failure names the function, the argument, the shape
 * it got and the shape it needs. Only shapes are checked (no data is read), so the checks are
 * free inside a training step.
 */
import type * as tf from "@tensorflow/tfjs";

export function assertRank(where: string, name: string, t: tf.Tensor, ranks: number[]): void {
  if (!ranks.includes(t.rank)) {
    throw new TypeError(
      `${where}: ${name} must have rank ${ranks.join(" or ")}, got shape [${t.shape.join(", ")}]`,
    );
  }
}

/** Checks that dims `dims` of a and b agree. */
export function assertSameDims(
  where: string,
  names: [string, string],
  a: tf.Tensor,
  b: tf.Tensor,
  dims: number[],
): void {
  for (const d of dims) {
    if (a.shape[d] !== b.shape[d]) {
      throw new TypeError(
        `${where}: ${names[0]} [${a.shape.join(", ")}] and ${names[1]} [${b.shape.join(", ")}] ` +
          `differ in dimension ${d}`,
      );
    }
  }
}

export function assertNonEmptyBatch(where: string, t: tf.Tensor): void {
  if (t.shape[0] === 0) {
    throw new RangeError(
      `${where}: the batch is empty (shape [${
        t.shape.join(", ")
      }]); a loss needs at least one example`,
    );
  }
}

/** The mask must be [batch, seq] matching the sequence tensor's first two dims. */
export function assertMask(where: string, mask: tf.Tensor, batch: number, seq: number): void {
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== seq) {
    throw new TypeError(
      `${where}: mask must be [batch, seq] = [${batch}, ${seq}], got [${mask.shape.join(", ")}]`,
    );
  }
}
