import * as tf from '@tensorflow/tfjs';
import { registerRegularizerClass, stockL1L2Class, type Regularizer } from './tf-internals';

/*
 * tf.regularizers.l2 with a one-kernel gradient. The stock L1L2 penalty is
 * sum(l2 * square(x)), and its gradient, taken op by op, is: Sum's (a ones tensor of x's
 * shape built in JS and uploaded, then a Multiply), Mul's (dy * l2, a Multiply), Square's
 * (Cast, x * 2, a Multiply): one upload and four full passes over the kernel per step. On
 * mc-dropout-cnn (L2 on a 4096x128 dense kernel) that was several percent of a training step.
 * Here the gradient is x * (2 * (dy * l2)): the same float32 value bit for bit (scaling by 2
 * is exact, so fround(fround(dy * l2) * fround(2 * x)) == fround(x * fround(2 * fround(dy * l2)))),
 * in one full pass. The forward (the loss value) is the stock ops, in the stock order.
 */

const StockL1L2 = stockL1L2Class();

/** sum(l2 * x^2) as a scalar, differentiated in one pass (see above). Needs l2 > 0. */
export function l2Penalty(x: tf.Tensor, l2: number): tf.Scalar {
  const penalty = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([input]);
    // The stock forward adds this sum to zeros([1]): 0 + s is s for s >= 0 (l2 > 0).
    const value = tf.reshape(tf.sum(tf.mul(l2, tf.square(input))), []);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs] = saved;
        if (xs === undefined) throw new Error('l2Penalty gradient: the saved input is missing');
        return tf.mul(xs, tf.mul(tf.mul(dy, l2), 2));
      },
    };
  });
  return penalty(x) as tf.Scalar;
}

/**
 * tf.regularizers' L1L2 whose pure-L2 case ({@link l2Penalty}) has a one-pass gradient. Same
 * class name ('L1L2'), config and values as the stock regularizer, so saved models are
 * unchanged. Registered under 'L1L2' when this module loads, so models deserialised in this
 * process (transfer bases, checkpoints) train with it too.
 */
export class FusedL1L2 extends StockL1L2 {
  override apply(x: tf.Tensor): tf.Scalar {
    if (this.hasL1 || !(this.l2 > 0)) return super.apply(x);
    return tf.tidy(() => l2Penalty(x, this.l2));
  }
}

/** tf.regularizers.l2({ l2 }) with the one-pass gradient of {@link FusedL1L2}. */
export function fusedL2(l2: number): Regularizer {
  return new FusedL1L2({ l1: 0, l2 });
}

// Deserialised 'L1L2' regularizers become FusedL1L2 (inherited fromConfig: new cls({ l1, l2 })).
registerRegularizerClass(FusedL1L2);
