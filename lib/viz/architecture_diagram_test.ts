import assert from "node:assert/strict";
import { ArchitectureDiagram, cellLayers, cellOutputs } from "./architecture_diagram.ts";
import { assertWellFormedSvg } from "./_test_utils.ts";
import { JUPYTER_DISPLAY } from "./_display.ts";
import type { GenomeLike } from "./genome_like.ts";

const genome: GenomeLike = {
  embeddingSize: 128,
  hiddenSize: 256,
  cells: [
    {
      nodes: [
        { op: "mhsa_4", inputs: [-1] },
        { op: "ffn_2", inputs: [0] },
        { op: "conv_3", inputs: [-2] },
        { op: "zero", inputs: [0, 2] },
      ],
    },
    {
      nodes: [{ op: "dil_conv_5", inputs: [-1, -2] }, { op: "max_pool", inputs: [0] }, {
        op: "<script>x</script>",
        inputs: [-1],
      }],
    },
  ],
};

Deno.test("ArchitectureDiagram: one box per node with its op name, io boxes per cell", () => {
  const d = new ArchitectureDiagram(genome);
  assertWellFormedSvg(d.svg);
  const nodeBoxes = d.svg.match(/<rect class="node"/g) ?? [];
  assert.equal(nodeBoxes.length, 7);
  for (const op of ["mhsa_4", "ffn_2", "conv_3", "zero", "dil_conv_5", "max_pool"]) {
    assert.ok(d.svg.includes(`>${op}</text>`), op);
  }
  // in, in-2 and out in both cells (both use input -2)
  assert.equal(d.svg.match(/<rect class="io"/g)?.length, 6);
  assert.ok(!d.svg.includes("<script"), "op names are escaped");
  assert.ok(d.svg.includes("&lt;script&gt;"));
  // family colours
  assert.ok(d.svg.includes('data-family="attention"') && d.svg.includes('data-family="zero"'));
  assert.equal(d[JUPYTER_DISPLAY]()["image/svg+xml"], d.svg);
});

Deno.test("ArchitectureDiagram: edges = inputs + output edges; text lists the DAG", () => {
  const d = new ArchitectureDiagram(genome);
  const inputEdges =
    genome.cells.flatMap((c) => c.nodes.flatMap((n) => [...new Set(n.inputs)])).length;
  const outEdges = genome.cells.reduce((s, c) => s + cellOutputs(c).length, 0);
  assert.equal(d.svg.match(/stroke="#666" stroke-width="1.2"/g)?.length, inputEdges + outEdges);
  assert.match(
    String(d),
    /cell 1: n0 = mhsa_4\(in\); n1 = ffn_2\(n0\); n2 = conv_3\(in-2\); n3 = zero\(n0 \+ n2\); out = n1 \+ n3/,
  );
});

Deno.test("cellLayers: topological layers; bad inputs are rejected with the allowed range", () => {
  assert.deepEqual(cellLayers(genome.cells[0]), [1, 2, 1, 2]);
  assert.deepEqual(cellOutputs(genome.cells[0]), [1, 3]);
  assert.throws(
    () => cellLayers({ nodes: [{ op: "ffn_1", inputs: [0] }] }, 3),
    /cell 3 node 0 \(ffn_1\) has input 0; allowed: -2, -1/,
  );
  assert.throws(() => cellLayers({ nodes: [{ op: "ffn_1", inputs: [] }] }), /no inputs/);
});
