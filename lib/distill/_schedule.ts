/**
 * Learning rate: linear warmup from 0 to the peak over `warmupSteps`, then linear decay to 0 at
 * `totalSteps` (BERT's schedule; Devlin et al. 2019, `get_linear_schedule_with_warmup`).
 * `step` counts from 1 (the first update uses peak/warmupSteps).
 */
export function linearWarmupDecay(
  step: number,
  options: { peak: number; warmupSteps: number; totalSteps: number },
): number {
  const { peak, warmupSteps, totalSteps } = options;
  if (warmupSteps > 0 && step <= warmupSteps) return (peak * step) / warmupSteps;
  const rest = totalSteps - warmupSteps;
  if (rest <= 0) return peak;
  return Math.max(0, (peak * (totalSteps - step)) / rest);
}
