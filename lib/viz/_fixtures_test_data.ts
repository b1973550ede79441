/** Small fixed data for the chart and display tests (hand-made, not measurements). */
export const candidates = [
  { id: "c1", params: 4.1e6, accuracy: 0.86, robustness: 0.31, fitness: 1.17 },
  { id: "c2", params: 6.2e6, accuracy: 0.88, robustness: 0.42, fitness: 1.30 },
  { id: "c3", params: 9.5e6, accuracy: 0.87, robustness: 0.38, fitness: 1.25 },
  { id: "c4", params: 12.0e6, accuracy: 0.9, robustness: 0.47, fitness: 1.37 },
  { id: "c5", params: 3.0e6, accuracy: 0.82, robustness: 0.22, fitness: 1.04 },
  { id: "c6", params: 15.5e6, accuracy: 0.89, robustness: 0.45, fitness: 1.34 },
  {
    name: "PKD-4L",
    baseline: true,
    params: 11.0e6,
    accuracy: 0.89,
    robustness: 0.18,
    fitness: 1.07,
  },
  {
    name: "TinyBERT-4",
    baseline: true,
    params: 14.5e6,
    accuracy: 0.9,
    robustness: 0.15,
    fitness: 1.05,
  },
];

export const history = [0.9, 1.02, 0.97, 1.15, 1.1, 1.15, 1.21, 1.18, 1.3, 1.29].map((
  fitness,
  i,
) => ({
  evaluation: i + 1,
  fitness,
}));

const g = (ops: string[][], h = 256) => ({
  embeddingSize: 128,
  hiddenSize: h,
  cells: ops.map((cell) => ({
    nodes: cell.map((op, k) => ({ op, inputs: k === 0 ? ["in0"] : [`n${k - 1}`, "in1"] })),
  })),
});

/** Architecture statistics and robustness per candidate. */
export const statRows = [
  {
    hiddenSize: 128,
    layers: 2,
    attention: 1,
    robustness: 0.2,
    genome: g([["mhsa_2", "ffn_2"], ["conv_3"]], 128),
  },
  {
    hiddenSize: 192,
    layers: 3,
    attention: 2,
    robustness: 0.28,
    genome: g([["mhsa_4"], ["conv_5", "ffn_1"], ["mhsa_2"]], 192),
  },
  {
    hiddenSize: 256,
    layers: 3,
    attention: 1,
    robustness: 0.33,
    genome: g([["conv_3", "ffn_4"], ["max_pool"], ["mhsa_4"]]),
  },
  {
    hiddenSize: 256,
    layers: 4,
    attention: 3,
    robustness: 0.41,
    genome: g([["mhsa_4"], ["mhsa_4", "ffn_2"], ["mhsa_2"], ["conv_7"]]),
  },
  {
    hiddenSize: 320,
    layers: 4,
    attention: 2,
    robustness: 0.39,
    genome: g([["mhsa_2", "identity"], ["ffn_2"], ["mhsa_4"], ["avg_pool"]], 320),
  },
  {
    hiddenSize: 384,
    layers: 5,
    attention: 4,
    robustness: 0.47,
    genome: g([["mhsa_4"], ["mhsa_4"], ["ffn_4"], ["mhsa_2"], ["mhsa_2", "conv_3"]], 384),
  },
];

/** A training run's metrics.jsonl (loss every 10 steps, accuracy every 20). */
export const metrics = [
  { step: 0, loss: 0.69 },
  { step: 10, loss: 0.61 },
  { step: 20, loss: 0.52, accuracy: 0.71 },
  { step: 30, loss: 0.47 },
  { step: 40, loss: 0.41, accuracy: 0.8 },
  { step: 50, loss: 0.4 },
  { step: 60, loss: 0.36, accuracy: 0.83 },
];

export const attackRows = [
  { model: "RoSearch", attack: "clean", accuracy: 0.88 },
  { model: "RoSearch", attack: "textfooler", accuracy: 0.46 },
  { model: "RoSearch", attack: "pwws", accuracy: 0.41 },
  { model: "PKD-4L", attack: "clean", accuracy: 0.89 },
  { model: "PKD-4L", attack: "textfooler", accuracy: 0.12 },
  { model: "PKD-4L", attack: "pwws", accuracy: 0.09 },
];
