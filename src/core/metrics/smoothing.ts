// Chart smoothing that matches TensorBoard's scalar dashboard, so curves look the way ML people
// expect: an exponential moving average, debiased so the first points are not pulled toward 0.
//
//   last_t = w * last_{t-1} + (1 - w) * v_t,   smoothed_t = last_t / (1 - w^t)
//
// where t counts only the finite values seen so far. Like TensorBoard, a series whose finite
// values are all equal is returned as is (no rounding wobble on flat lines).

/**
 * Smooths `values` with weight `weight` in [0, 1) (0 = no smoothing; out-of-range or non-finite
 * weights are clamped into [0, 1) the way TensorBoard clamps its slider). Null and non-finite
 * values come back as null and leave the average untouched.
 */
export function smoothSeries(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), MAX_WEIGHT) : 0;
  const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
  const first = values.find(finite);
  if (first === undefined || values.every((v) => !finite(v) || v === first)) {
    return values.map((v) => (finite(v) ? v : null));
  }
  let last = 0;
  let accumulated = 0;
  return values.map((v) => {
    if (!finite(v)) return null;
    last = last * w + (1 - w) * v;
    accumulated++;
    return last / (1 - w ** accumulated);
  });
}

/** TensorBoard allows 1 (a flat line at 0 after debiasing by 0); keep the average meaningful. */
const MAX_WEIGHT = 0.999;
