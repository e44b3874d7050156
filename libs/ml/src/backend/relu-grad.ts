import * as tf from '@tensorflow/tfjs';

/*
 * TF.js differentiates Relu as dy * cast(step(x)): three kernels and two temporaries per ReLU
 * per step. Where a backend registers RELU_GRAD_KERNEL (the 'onednn' backend does, natively),
 * the gradient is one pass; everywhere else it is exactly the stock formula.
 */

/** Kernel computing dx = dy where x > 0, else 0, from inputs { dy, x }. */
export const RELU_GRAD_KERNEL = 'ConvscopeReluGrad';

let installed = false;

/**
 * Replaces the global Relu gradient with one that uses {@link RELU_GRAD_KERNEL} on backends
 * that have it and the stock `dy * step(x)` elsewhere (same values either way). Idempotent.
 */
export function installReluGradient(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      if (x === undefined) throw new Error('Relu gradient: the saved input is missing');
      const grad = dy as tf.Tensor;
      return {
        x: () =>
          tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend()) !== undefined
            ? tf.engine().runKernel<tf.Tensor>(RELU_GRAD_KERNEL, { dy: grad, x })
            : tf.mul(grad, tf.cast(tf.step(x), 'float32')),
      };
    },
  });
}
