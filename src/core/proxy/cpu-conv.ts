// A 3x3 'same' convolution as im2col + matMul, for tfjs's pure-JS cpu backend only.
//
// Why: on the cpu backend tf.conv2d's gradients (Conv2DBackpropFilter / Conv2DBackpropInput) are
// naive loops, measured here about 50x slower than the forward pass (5 s for one 3x3 conv of
// 32x32x8 -> 16 channels at batch 32), and tf.slice-based patch extraction is not much better. The
// patch matrix is built and scattered back in plain loops instead (a custom gradient), and the
// weight product is a matMul, whose gradients are matMuls. Same result as tf.conv2d(x, w, stride,
// 'same') up to float32 rounding (tests/unit/core/proxy/proxy-net.test.ts checks it).
// Reads values with dataSync, so never use it on a GPU backend; ProxyNet picks it only on 'cpu'.
import * as tf from '@tensorflow/tfjs';

interface Geometry {
  n: number;
  height: number;
  width: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  stride: number;
  padTop: number;
  padLeft: number;
}

/** TF's 'same' padding for a 3x3 kernel: out = ceil(in / stride), the odd pixel of padding at the end. */
function geometry(shape: readonly number[], stride: number): Geometry {
  const [n, height, width, channels] = shape;
  const outHeight = Math.ceil(height / stride);
  const outWidth = Math.ceil(width / stride);
  const padHeight = Math.max((outHeight - 1) * stride + 3 - height, 0);
  const padWidth = Math.max((outWidth - 1) * stride + 3 - width, 0);
  return {
    n,
    height,
    width,
    channels,
    outHeight,
    outWidth,
    stride,
    padTop: Math.floor(padHeight / 2),
    padLeft: Math.floor(padWidth / 2),
  };
}

/** Patches [n * outHeight * outWidth, 9 * channels], column (ky * 3 + kx) * channels + c; zeros outside. */
function im2col(x: ArrayLike<number>, g: Geometry): Float32Array {
  const { n, height, width, channels: c, outHeight, outWidth, stride, padTop, padLeft } = g;
  const rowLength = 9 * c;
  const cols = new Float32Array(n * outHeight * outWidth * rowLength);
  let row = 0;
  for (let b = 0; b < n; b++) {
    const image = b * height * width * c;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row++) {
        const out = row * rowLength;
        for (let ky = 0; ky < 3; ky++) {
          const iy = oy * stride + ky - padTop;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < 3; kx++) {
            const ix = ox * stride + kx - padLeft;
            if (ix < 0 || ix >= width) continue;
            const source = image + (iy * width + ix) * c;
            const target = out + (ky * 3 + kx) * c;
            for (let k = 0; k < c; k++) cols[target + k] = x[source + k];
          }
        }
      }
    }
  }
  return cols;
}

/** The adjoint of im2col: each patch entry's gradient added back to its input pixel. */
function col2im(dcols: ArrayLike<number>, g: Geometry): Float32Array {
  const { n, height, width, channels: c, outHeight, outWidth, stride, padTop, padLeft } = g;
  const rowLength = 9 * c;
  const dx = new Float32Array(n * height * width * c);
  let row = 0;
  for (let b = 0; b < n; b++) {
    const image = b * height * width * c;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row++) {
        const out = row * rowLength;
        for (let ky = 0; ky < 3; ky++) {
          const iy = oy * stride + ky - padTop;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < 3; kx++) {
            const ix = ox * stride + kx - padLeft;
            if (ix < 0 || ix >= width) continue;
            const target = image + (iy * width + ix) * c;
            const source = out + (ky * 3 + kx) * c;
            for (let k = 0; k < c; k++) dx[target + k] += dcols[source + k];
          }
        }
      }
    }
  }
  return dx;
}

const patchOps = new Map<number, (x: tf.Tensor) => tf.Tensor2D>();

/** The im2col op for one stride, with col2im as its gradient (built once per stride). */
function patchOp(stride: number): (x: tf.Tensor) => tf.Tensor2D {
  let op = patchOps.get(stride);
  if (!op) {
    op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = inputs[0] as tf.Tensor;
      const g = geometry(x.shape, stride);
      const value = tf.tensor2d(im2col(x.dataSync(), g), [g.n * g.outHeight * g.outWidth, 9 * g.channels]);
      return {
        value,
        gradFunc: (dy: tf.Tensor) => tf.tensor4d(col2im(dy.dataSync(), g), [g.n, g.height, g.width, g.channels]),
      };
    }) as (x: tf.Tensor) => tf.Tensor2D;
    patchOps.set(stride, op);
  }
  return op;
}

/**
 * conv2d(x, kernel, stride, 'same') + bias, then ReLU when `relu`, for x [N, H, W, C] and a 3x3
 * kernel [3, 3, C, C_out]; differentiable in x, kernel and bias. cpu backend only.
 */
export function cpuConv3x3(
  x: tf.Tensor4D,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  stride: number,
  relu: boolean,
): tf.Tensor4D {
  const [kh, kw, c, cout] = kernel.shape;
  if (kh !== 3 || kw !== 3 || c !== x.shape[3])
    throw new Error(`cpuConv3x3: kernel [${kernel.shape.join(', ')}] does not fit input [${x.shape.join(', ')}]`);
  return tf.tidy(() => {
    const g = geometry(x.shape, stride);
    const cols = patchOp(stride)(x);
    const y = tf.fused.matMul({
      a: cols,
      b: tf.reshape(kernel, [9 * c, cout]) as tf.Tensor2D,
      bias,
      activation: relu ? 'relu' : 'linear',
    });
    return tf.reshape(y, [g.n, g.outHeight, g.outWidth, cout]) as tf.Tensor4D;
  });
}
