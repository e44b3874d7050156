/** Bindings of libs/ml/native/src/depthwise.cc (part of {@link OnednnAddon}). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DepthwiseAddon {}
