/** Bindings of libs/ml/native/src/noise.cc (part of {@link OnednnAddon}). */
export interface NoiseAddon {
  /**
   * Inverted dropout of `src` (`[batch, width]`, null: the multipliers) into `dst` with the
   * masks of uncertainty/row-noise.ts's dropoutInto (same stream, rate and row keys give the
   * same values, bit for bit); pass / sample: the rows' keys (both or neither; null: row r is
   * (0, r)). Throws for a rate outside [0, 1) or a stream that is not a uint32.
   */
  mcDropout(
    src: Float32Array | null,
    dst: Float32Array,
    shape: number[],
    stream: number,
    rate: number,
    pass: Uint32Array | null,
    sample: Uint32Array | null,
  ): void;
}
