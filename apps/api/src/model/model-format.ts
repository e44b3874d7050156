// The formats a run's model can be registered in (decorator-free: services import it).

/** Formats a run's model can be registered in. */
export enum ModelFormat {
  ONNX = 'ONNX',
  TFJS = 'TFJS',
}
