/**
 * A whole masked LSTM recurrence as one differentiable op with hand-written backpropagation
 * through time (Hochreiter & Schmidhuber 1997; gates i, f, g, o as PyTorch `nn.LSTM`).
 *
 * Why one op: on tfjs-backend-wasm every `tf.slice`/`unstack`/`split` copies its *whole* input
 * (the Slice kernel reads the full tensor back first), so taking S time steps out of a
 * [S, B, ·] tensor costs O(S²·B), and batched matmul (batch > 1) misses XNNPACK (~2 GFLOP/s).
 * Here the per-step inputs are cut in JS from one read-back, every matmul is 2-D, and the
 * weight gradient is one large matmul over all steps.
 *
 * lstmSequence(X [S, B, 4G], W [G, 4G], M [S, B, G]) -> Y [S, B, G]
 * - G is the state width (2H for a BiLSTM run as one block-diagonal recurrence);
 * - X holds the input contributions x_t·W_ih + b per step, columns gate-major [i | f | g | o];
 * - W is the recurrent weight [in, out] with the same column order;
 * - M is 0/1 per step and state column: where 0 the state is carried over unchanged;
 * - Y_t = M_t · h̃_t (zero on masked positions). Initial state h = c = 0. M gets no gradient.
 */
import * as tf from "@tensorflow/tfjs";

type Saver = (tensors: tf.Tensor[]) => void;

// `never[]` lets `f` declare its own parameter types (tensors, then the `save` callback).
const customGrad = tf.customGrad as unknown as (
  f: (...args: never[]) => {
    value: tf.Tensor;
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
  },
) => (...args: tf.Tensor[]) => tf.Tensor;

/** Gate k's columns of step t, cut from the read-back of X [S, B, 4G]. */
function gateSlice(xs: Float32Array, t: number, k: number, B: number, G: number): tf.Tensor2D {
  const out = new Float32Array(B * G);
  const rowLen = 4 * G;
  for (let b = 0; b < B; b++) {
    const from = (t * B + b) * rowLen + k * G;
    out.set(xs.subarray(from, from + G), b * G);
  }
  return tf.tensor2d(out, [B, G]);
}

function stepSlice(arr: Float32Array, t: number, B: number, G: number): tf.Tensor2D {
  return tf.tensor2d(arr.slice(t * B * G, (t + 1) * B * G), [B, G]);
}

const SAVED_PER_STEP = 8; // i, f, g, o, tanh(c̃), c_prev, h_prev, m

export const lstmSequence = customGrad(
  (X: tf.Tensor3D, W: tf.Tensor2D, M: tf.Tensor3D, save: Saver) => {
    const [S, B, G4] = X.shape;
    const G = G4 / 4;
    if (W.shape[0] !== G || W.shape[1] !== G4 || M.shape.join() !== [S, B, G].join()) {
      throw new RangeError(
        `lstmSequence: shapes X [${X.shape}], W [${W.shape}], M [${M.shape}] do not fit ` +
          "[S, B, 4G], [G, 4G], [S, B, G]",
      );
    }
    const xs = X.dataSync() as Float32Array;
    const ms = M.dataSync() as Float32Array;
    const wk = [0, 1, 2, 3].map((k) => tf.slice(W, [0, k * G], [G, G])); // 4 x [G, G]
    let h: tf.Tensor2D = tf.zeros([B, G]);
    let c: tf.Tensor2D = tf.zeros([B, G]);
    const ys: tf.Tensor2D[] = [];
    const saved: tf.Tensor[] = [];
    for (let t = 0; t < S; t++) {
      const pre = (k: number) => tf.add(gateSlice(xs, t, k, B, G), tf.matMul(h, wk[k])); // [B, G]
      const i = tf.sigmoid(pre(0)),
        f = tf.sigmoid(pre(1)),
        g = tf.tanh(pre(2)),
        o = tf.sigmoid(pre(3));
      const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
      const tc = tf.tanh(cNew);
      const hNew = tf.mul(o, tc);
      const m = stepSlice(ms, t, B, G);
      saved.push(i, f, g, o, tc, c, h, m);
      c = tf.add(c, tf.mul(m, tf.sub(cNew, c))) as tf.Tensor2D;
      h = tf.add(h, tf.mul(m, tf.sub(hNew, h))) as tf.Tensor2D;
      ys.push(tf.mul(m, hNew) as tf.Tensor2D);
    }
    const value = tf.stack(ys); // [S, B, G]
    save([W, ...saved]);
    return {
      value,
      gradFunc: (dY: tf.Tensor, sv: tf.Tensor[]) => {
        const Ws = sv[0] as tf.Tensor2D;
        const st = (t: number, j: number) => sv[1 + t * SAVED_PER_STEP + j] as tf.Tensor2D;
        const dys = dY.dataSync() as Float32Array;
        const WT = tf.transpose(Ws); // [4G, G]
        let dh: tf.Tensor = tf.zeros([B, G]);
        let dc: tf.Tensor = tf.zeros([B, G]);
        const das: tf.Tensor[] = new Array(S);
        const hPrevs: tf.Tensor[] = new Array(S);
        for (let t = S - 1; t >= 0; t--) {
          const [i, f, g, o, tc, cPrev, hPrev, m] = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => st(t, j));
          const keep = tf.sub(1, m);
          const dhNew = tf.mul(m, tf.add(dh, stepSlice(dys, t, B, G)));
          const dcNew = tf.add(tf.mul(m, dc), tf.mul(tf.mul(dhNew, o), tf.sub(1, tf.square(tc))));
          const dai = tf.mul(tf.mul(dcNew, g), tf.mul(i, tf.sub(1, i)));
          const daf = tf.mul(tf.mul(dcNew, cPrev), tf.mul(f, tf.sub(1, f)));
          const dag = tf.mul(tf.mul(dcNew, i), tf.sub(1, tf.square(g)));
          const dao = tf.mul(tf.mul(dhNew, tc), tf.mul(o, tf.sub(1, o)));
          const da = tf.concat([dai, daf, dag, dao], 1); // [B, 4G]
          das[t] = da;
          hPrevs[t] = hPrev;
          dh = tf.add(tf.mul(keep, dh), tf.matMul(da as tf.Tensor2D, WT));
          dc = tf.add(tf.mul(keep, dc), tf.mul(dcNew, f));
        }
        const dX = tf.stack(das); // [S, B, 4G]
        const allA = tf.reshape(dX, [S * B, 4 * G]);
        const allH = tf.reshape(tf.stack(hPrevs), [S * B, G]);
        const dW = tf.matMul(tf.transpose(allH), allA); // [G, 4G]
        return [dX, dW, tf.zeros([S, B, G])];
      },
    };
  },
) as (X: tf.Tensor3D, W: tf.Tensor2D, M: tf.Tensor3D) => tf.Tensor3D;
