/**
 * `12.3 s` below 90 s, else `4 min 05 s` (rounded once: 179.6 s is "3 min 00 s", not "2 min 60
 * s").
 */
export function formatSeconds(s: number): string {
  if (s < 90) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  return `${m} min ${String(whole - 60 * m).padStart(2, "0")} s`;
}
