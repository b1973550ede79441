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
        { op: "mhsa_4", inputs: ["in0"] },
        { op: "ffn_2", inputs: ["n0"] },
        { op: "conv_3", inputs: ["in1"] },
        { op: "zero", inputs: ["n0", "n2"] },
      ],
    },
    {
      nodes: [{ op: "dil_conv_5", inputs: ["in0", "in1"] }, { op: "max_pool", inputs: ["n0"] }, {
        op: "<script>x</script>",
        inputs: ["in0"],
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
  // in0, in1 and out in both cells (both use input in1)
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
    new RegExp(
      String.raw`cell 1: n0 = mhsa_4\(in0\); n1 = ffn_2\(n0\); n2 = conv_3\(in1\); ` +
        String.raw`n3 = zero\(n0 \+ n2\); out = n1 \+ n3`,
    ),
  );
});

Deno.test("cellLayers: topological layers; bad inputs are rejected with the allowed range", () => {
  assert.deepEqual(cellLayers(genome.cells[0]), [1, 2, 1, 2]);
  assert.deepEqual(cellOutputs(genome.cells[0]), [1, 3]);
  assert.throws(
    () => cellLayers({ nodes: [{ op: "ffn_1", inputs: ["n0"] }] }, 3),
    /cell 3 node 0 \(ffn_1\) has input "n0"; allowed: "in0", "in1"/,
  );
  assert.throws(
    () =>
      cellLayers({ nodes: [{ op: "ffn_1", inputs: ["in0"] }, { op: "ffn_2", inputs: ["in2"] }] }),
    new RegExp(
      String.raw`node 1 \(ffn_2\) has input "in2"; allowed: "in0", "in1" \(cell inputs\) ` +
        String.raw`or an earlier node "n0".."n0"`,
    ),
  );
  assert.throws(
    () => cellLayers({ nodes: [{ op: "ffn_1", inputs: [-1 as unknown as string] }] }),
    /has input -1/,
  );
  assert.throws(() => cellLayers({ nodes: [{ op: "ffn_1", inputs: [] }] }), /no inputs/);
});

Deno.test(
  "ArchitectureDiagram: draws a real search-space genome (sampled, canonical) as it is",
  async () => {
    const ss = await import("../search_space/mod.ts");
    const { Prng } = await import("../random/mod.ts");
    const prng = Prng.fromSeed(5);
    for (let i = 0; i < 20; i++) {
      const real = ss.sampleGenome(ss.DEFAULT_SEARCH_SPACE, prng);
      const d = new ArchitectureDiagram(real); // type-checks: Genome is a GenomeLike
      assertWellFormedSvg(d.svg);
      const nodes = real.cells.reduce((s, c) => s + c.nodes.length, 0);
      assert.equal(d.svg.match(/<rect class="node"/g)?.length, nodes);
      const usesIn1 = real.cells.filter((c) =>
        c.nodes.some((n) => n.inputs.includes("in1"))
      ).length;
      assert.equal(d.svg.match(/<rect class="io"/g)?.length, 2 * real.cells.length + usesIn1);
    }
  },
);
