import assert from "node:assert/strict";
import { parseObjective, uniformLayerMap, validateLayerMatches } from "./objective.ts";

const pairs = (m: ReturnType<typeof uniformLayerMap>) =>
  m.map((e) => [e.studentLayer, e.teacherLayer]);

Deno.test("uniformLayerMap follows g(m) = round(m·N/M) for several depths", () => {
  assert.deepEqual(pairs(uniformLayerMap(12, 4)), [[0, 0], [1, 3], [2, 6], [3, 9], [4, 12]]);
  assert.deepEqual(pairs(uniformLayerMap(12, 6)), [
    [0, 0],
    [1, 2],
    [2, 4],
    [3, 6],
    [4, 8],
    [5, 10],
    [6, 12],
  ]);
  // 12/5 = 2.4: 2.4, 4.8, 7.2, 9.6, 12 → 2, 5, 7, 10, 12
  assert.deepEqual(pairs(uniformLayerMap(12, 5)).slice(1), [[1, 2], [2, 5], [3, 7], [4, 10], [
    5,
    12,
  ]]);
  assert.deepEqual(pairs(uniformLayerMap(12, 1)), [[0, 0], [1, 12]]);
  // Deeper student than teacher: 2/4 = 0.5 per layer, halves round up: 1, 1, 2, 2.
  assert.deepEqual(pairs(uniformLayerMap(2, 4)).slice(1), [[1, 1], [2, 1], [3, 2], [4, 2]]);
  // Attention has no embedding layer; features and losses are applied per entry.
  const both = uniformLayerMap(4, 2, { features: ["hidden", "attention"], weight: 0.5 });
  assert.deepEqual(
    both.map((e) => `${e.feature}:${e.studentLayer}->${e.teacherLayer}:${e.loss}:${e.weight}`),
    [
      "hidden:0->0:mse:0.5",
      "hidden:1->2:mse:0.5",
      "hidden:2->4:mse:0.5",
      "attention:1->2:mse:0.5",
      "attention:2->4:mse:0.5",
    ],
  );
  for (const [n, m] of [[12, 3], [6, 4], [3, 7], [24, 6]]) {
    const map = uniformLayerMap(n, m);
    assert.equal(map.length, m + 1);
    assert.equal(map.at(-1)!.teacherLayer, n, "last meets last");
    validateLayerMatches(map, { teacherLayers: n, studentLayers: m });
  }
  assert.throws(() => uniformLayerMap(12, 0), /studentLayers must be an integer ≥ 1, got 0/);
  assert.throws(
    () => uniformLayerMap(12, 4, { features: ["attention"], losses: { attention: "cosine" } }),
    /not allowed/,
  );
});

Deno.test("validateLayerMatches names the entry and the valid range", () => {
  const base = { feature: "hidden", loss: "mse", weight: 1 } as const;
  assert.throws(
    () =>
      validateLayerMatches([{ ...base, teacherLayer: 2, studentLayer: 1 }, {
        ...base,
        teacherLayer: 13,
        studentLayer: 1,
      }], { teacherLayers: 12, studentLayers: 4 }),
    new RegExp(
      String.raw`layers\[1\]: teacherLayer 13 is out of range for feature "hidden": ` +
        String.raw`the teacher has 12 layers, valid 0\.\.12`,
    ),
  );
  assert.throws(
    () =>
      validateLayerMatches([{ ...base, teacherLayer: 2, studentLayer: 5 }], {
        teacherLayers: 12,
        studentLayers: 4,
      }),
    /layers\[0\]: studentLayer 5 .* valid 0\.\.4/,
  );
  assert.throws(
    () =>
      validateLayerMatches([{ ...base, teacherLayer: 4, studentLayer: 1 }], {
        teacherLayers: 12,
        studentLayers: 4,
        teacherAvailable: { layers: [0, 12], features: ["hidden"], what: "the teacher cache" },
      }),
    /teacherLayer 4 is not in the teacher cache \(cached layers: 0, 12\)/,
  );
  assert.throws(
    () =>
      validateLayerMatches([{ ...base, feature: "attention", teacherLayer: 12, studentLayer: 1 }], {
        teacherLayers: 12,
        studentLayers: 4,
        teacherAvailable: { layers: [12], features: ["hidden", "cls"], what: "the teacher cache" },
      }),
    /feature "attention" is not available from the teacher cache/,
  );
});

Deno.test("parseObjective fills defaults and reports every bad field with its path", () => {
  const o = parseObjective({
    kl: { temperature: 4 },
    layers: [{ teacherLayer: 1, studentLayer: 1, feature: "cls", loss: "pkd" }],
  });
  assert.deepEqual(o.kl, { weight: 1, temperature: 4 });
  assert.deepEqual(o.ce, { weight: 0 });
  assert.equal(o.layers[0].weight, 1);
  assert.deepEqual(parseObjective(undefined).layers, []);
  assert.throws(
    () =>
      parseObjective({
        kl: { temperature: 0 },
        layers: [{
          teacherLayer: 0,
          studentLayer: 1,
          feature: "attention",
          loss: "pkd",
          weight: -1,
        }],
      }),
    (e: Error) => {
      assert.match(e.message, /kl\.temperature/);
      assert.match(e.message, /layers\.0\.weight/);
      assert.match(
        e.message,
        /layers\.0\.loss: loss "pkd" is not allowed for feature "attention" \(allowed: mse\)/,
      );
      return true;
    },
  );
  assert.throws(() => parseObjective({ kl: { weight: 1, temprature: 2 } }), /Unrecognized key/);
});
