/**
 * A plain-JavaScript BERT forward (no tfjs) over a HF-layout state dict ([out, in] linear
 * weights), used by tests as an independent reference for the tfjs model and the importers.
 * Slow; only for tiny models.
 */
import type { BertConfig } from "./config.ts";

export type StateDict = Map<string, { shape: number[]; data: ArrayLike<number> }>;

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc, Chebyshev fit). */
function erf(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t *
    Math.exp(
      -z * z - 1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

export function referenceBertLogits(
  sd: StateDict,
  c: BertConfig,
  ids: number[][],
  mask: number[][],
  types?: number[][],
): number[][] {
  const get = (n: string) => {
    const t = sd.get(n) ?? sd.get(n.replace(/^bert\./, ""));
    if (!t) throw new Error(`reference: missing ${n}`);
    return t.data;
  };
  const H = c.hidden_size, nh = c.num_attention_heads, d = H / nh;
  const dense = (x: number[], name: string, inDim: number, outDim: number) => {
    const w = get(`${name}.weight`), b = get(`${name}.bias`);
    const y = new Array(outDim).fill(0);
    for (let o = 0; o < outDim; o++) {
      let s = b[o];
      for (let i = 0; i < inDim; i++) s += w[o * inDim + i] * x[i];
      y[o] = s;
    }
    return y;
  };
  const ln = (x: number[], name: string) => {
    const g = get(`${name}.weight`), b = get(`${name}.bias`);
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const v = x.reduce((a, u) => a + (u - mean) ** 2, 0) / x.length;
    return x.map((u, i) => ((u - mean) / Math.sqrt(v + c.layer_norm_eps)) * g[i] + b[i]);
  };
  const act = (
    x: number,
  ) => (c.hidden_act === "relu" ? Math.max(0, x) : 0.5 * x * (1 + erf(x / Math.SQRT2)));
  return ids.map((row, bi) => {
    const S = row.length;
    const we = get("bert.embeddings.word_embeddings.weight"),
      pe = get("bert.embeddings.position_embeddings.weight"),
      te = get("bert.embeddings.token_type_embeddings.weight");
    const E = c.embedding_size ?? H; // factorised: [vocab, E] table, then a linear E -> H
    const word = (id: number) => {
      const v = Array.from({ length: E }, (_, k) => we[id * E + k]);
      return E === H ? v : dense(v, "bert.embeddings.word_embeddings_projection", E, H);
    };
    let h = row.map((id, p) => {
      const tt = types?.[bi][p] ?? 0;
      const w = word(id);
      return ln(
        Array.from({ length: H }, (_, k) => w[k] + pe[p * H + k] + te[tt * H + k]),
        "bert.embeddings.LayerNorm",
      );
    });
    for (let l = 0; l < c.num_hidden_layers; l++) {
      const pre = `bert.encoder.layer.${l}`;
      const q = h.map((x) => dense(x, `${pre}.attention.self.query`, H, H));
      const k = h.map((x) => dense(x, `${pre}.attention.self.key`, H, H));
      const v = h.map((x) => dense(x, `${pre}.attention.self.value`, H, H));
      const ctx = h.map(() => new Array(H).fill(0));
      for (let a = 0; a < nh; a++) {
        for (let i = 0; i < S; i++) {
          const sc = Array.from({ length: S }, (_, j) => {
            let s = 0;
            for (let e = 0; e < d; e++) s += q[i][a * d + e] * k[j][a * d + e];
            return s / Math.sqrt(d) + (mask[bi][j] ? 0 : -1e9);
          });
          const mx = Math.max(...sc),
            ex = sc.map((s) => Math.exp(s - mx)),
            z = ex.reduce((x, y) => x + y, 0);
          for (let j = 0; j < S; j++) {
            for (let e = 0; e < d; e++) ctx[i][a * d + e] += (ex[j] / z) * v[j][a * d + e];
          }
        }
      }
      h = h.map((x, i) => {
        const att = ln(
          dense(ctx[i], `${pre}.attention.output.dense`, H, H).map((u, j) => u + x[j]),
          `${pre}.attention.output.LayerNorm`,
        );
        const inter = dense(att, `${pre}.intermediate.dense`, H, c.intermediate_size).map(act);
        return ln(
          dense(inter, `${pre}.output.dense`, c.intermediate_size, H).map((u, j) => u + att[j]),
          `${pre}.output.LayerNorm`,
        );
      });
    }
    // [CLS], or (project option pooling "mean") the mean over real tokens
    const real = h.filter((_, i) => mask[bi][i] === 1);
    const summary = c.pooling === "mean"
      ? real[0].map((_, j) => real.reduce((s, x) => s + x[j], 0) / real.length)
      : h[0];
    const pooled = dense(summary, "bert.pooler.dense", H, H).map(Math.tanh);
    return dense(pooled, "classifier", H, c.num_labels);
  });
}
