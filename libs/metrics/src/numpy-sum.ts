/**
 * Sum in the same order as numpy's `add.reduce` on a contiguous float64 array (pairwise summation
 * with an 8-way unrolled base case, block size 128). Matching the order, not just the maths, is
 * what lets our averages agree with scikit-learn to the last bit instead of to ~1e-15.
 */
export function pairwiseSum(
  values: ArrayLike<number>,
  start = 0,
  count = values.length - start,
): number {
  if (count < 8) {
    let res = 0;
    for (let i = 0; i < count; i++) res += values[start + i]!;
    return res;
  }
  if (count <= 128) {
    let r0 = values[start]!;
    let r1 = values[start + 1]!;
    let r2 = values[start + 2]!;
    let r3 = values[start + 3]!;
    let r4 = values[start + 4]!;
    let r5 = values[start + 5]!;
    let r6 = values[start + 6]!;
    let r7 = values[start + 7]!;
    let i = 8;
    for (; i < count - (count % 8); i += 8) {
      const o = start + i;
      r0 += values[o]!;
      r1 += values[o + 1]!;
      r2 += values[o + 2]!;
      r3 += values[o + 3]!;
      r4 += values[o + 4]!;
      r5 += values[o + 5]!;
      r6 += values[o + 6]!;
      r7 += values[o + 7]!;
    }
    // ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), as numpy does.
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < count; i++) res += values[start + i]!;
    return res;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}

/** numpy `mean` of a 1-d float64 array: pairwise sum divided by the length. */
export function numpyMean(values: ArrayLike<number>): number {
  return pairwiseSum(values) / values.length;
}
