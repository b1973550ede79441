/**
 * A hand-written ONNX exporter for the project's BERT sequence classifier (lib/models/bert.ts).
 *
 * Part 1: a minimal protobuf writer (varints, fixed32, length-delimited fields) and the handful of
 * ONNX messages needed (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, TypeProto). No protobuf library.
 *
 * Part 2: `exportBertClassifier(config, params)` builds the graph (IR version 8, opset 17):
 *   inputs  input_ids [batch, seq] int64, token_type_ids [batch, seq] int64,
 *           attention_mask [batch, seq] float32 (1 = attend, 0 = pad)
 *   output  logits [batch, num_labels] float32
 * with the semantics of lib/models (HF BertForSequenceClassification, eval mode): word + position
 * (rows 0..seq-1 of the table, whatever the padding) + token-type embeddings, LayerNorm; per
 * layer Q/K/V, q scaled by 1/sqrt(head_dim), additive mask (1 - mask) * -1e9 on keys, softmax,
 * context, output dense, residual + LayerNorm, intermediate dense + activation, output dense,
 * residual + LayerNorm; pooler dense + tanh on token 0; classifier dense.
 * Linear weights are stored [in, out] by the project, so every dense is MatMul(x, W) + b.
 */

// ---------------------------------------------------------------------------------------------
// Protobuf writer
// ---------------------------------------------------------------------------------------------

const WIRE_VARINT = 0, WIRE_LEN = 2, WIRE_FIXED32 = 5;

/** Accumulates encoded fields; `finish()` concatenates them. */
export class PbWriter {
  #chunks: Uint8Array[] = [];
  #length = 0;

  #push(b: Uint8Array): void {
    this.#chunks.push(b);
    this.#length += b.length;
  }

  /** A raw varint (no tag). Negative numbers are written as 10-byte two's complement. */
  #varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.#push(Uint8Array.from(out));
  }

  #tag(field: number, wire: number): void {
    this.#varint((field << 3) | wire);
  }

  /** int32/int64/enum field. */
  int(field: number, value: number | bigint): this {
    this.#tag(field, WIRE_VARINT);
    this.#varint(value);
    return this;
  }

  /** float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.#tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.#push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, WIRE_LEN);
    this.#varint(value.length);
    this.#push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Embedded message field. */
  message(field: number, sub: PbWriter | Uint8Array): this {
    return this.bytes(field, sub instanceof PbWriter ? sub.finish() : sub);
  }

  get length(): number {
    return this.#length;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let o = 0;
    for (const c of this.#chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// ONNX messages (field numbers from onnx.proto)
// ---------------------------------------------------------------------------------------------

export const TensorDataType = { FLOAT: 1, INT64: 7 } as const;
export const AttributeType = { FLOAT: 1, INT: 2, INTS: 7 } as const;

export type AttrValue =
  | { kind: "float"; value: number }
  | { kind: "int"; value: number }
  | { kind: "ints"; value: number[] };

export const attrF = (value: number): AttrValue => ({ kind: "float", value });
export const attrI = (value: number): AttrValue => ({ kind: "int", value });
export const attrInts = (value: number[]): AttrValue => ({ kind: "ints", value });

function attributeProto(name: string, a: AttrValue): PbWriter {
  const w = new PbWriter().string(1, name);
  switch (a.kind) {
    case "float":
      w.float(2, a.value).int(20, AttributeType.FLOAT);
      break;
    case "int":
      w.int(3, a.value).int(20, AttributeType.INT);
      break;
    case "ints":
      for (const v of a.value) w.int(8, v); // repeated int64, unpacked (proto2)
      w.int(20, AttributeType.INTS);
      break;
  }
  return w;
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs?: Record<string, AttrValue>;
}

function nodeProto(n: OnnxNode): PbWriter {
  const w = new PbWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attributeProto(k, v));
  return w;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian element bytes. */
  raw: Uint8Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function leBytes(data: Float32Array | BigInt64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => dv.setBigInt64(i * 8, v, true));
  return out;
}

export function floatTensor(name: string, dims: number[], data: Float32Array): OnnxTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== data.length) {
    throw new RangeError(
      `floatTensor ${name}: dims [${dims}] need ${n} values, got ${data.length}`,
    );
  }
  return { name, dims, dataType: TensorDataType.FLOAT, raw: leBytes(data) };
}

export function int64Tensor(name: string, dims: number[], data: number[]): OnnxTensor {
  return {
    name,
    dims,
    dataType: TensorDataType.INT64,
    raw: leBytes(BigInt64Array.from(data, (v) => BigInt(v))),
  };
}

function tensorProto(t: OnnxTensor): PbWriter {
  const w = new PbWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
  return w;
}

/** A dimension: a number (dim_value) or a symbolic name (dim_param). */
export type Dim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape: Dim[];
}

function valueInfoProto(v: OnnxValueInfo): PbWriter {
  const shape = new PbWriter();
  for (const d of v.shape) {
    const dim = typeof d === "number" ? new PbWriter().int(1, d) : new PbWriter().string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new PbWriter().int(1, v.elemType).message(2, shape);
  const type = new PbWriter().message(1, tensorType);
  return new PbWriter().string(1, v.name).message(2, type);
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export function encodeModel(
  graph: OnnxGraph,
  options: { irVersion?: number; opset?: number; producer?: string } = {},
): Uint8Array {
  const { irVersion = 8, opset = 17, producer = "ortprobe-onnx-export" } = options;
  const g = new PbWriter();
  for (const n of graph.nodes) g.message(1, nodeProto(n));
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, tensorProto(t));
  for (const i of graph.inputs) g.message(11, valueInfoProto(i));
  for (const o of graph.outputs) g.message(12, valueInfoProto(o));
  const m = new PbWriter();
  m.int(1, irVersion);
  m.string(2, producer);
  m.message(7, g);
  m.message(8, new PbWriter().string(1, "").int(2, opset)); // default (ai.onnx) domain
  return m.finish();
}

// ---------------------------------------------------------------------------------------------
// Graph builder
// ---------------------------------------------------------------------------------------------

class GraphBuilder {
  nodes: OnnxNode[] = [];
  initializers: OnnxTensor[] = [];
  #counter = 0;
  #consts = new Map<string, string>();

  /** Adds a node with one output; returns the output name. */
  op(op: string, inputs: string[], attrs?: Record<string, AttrValue>, hint = op): string {
    const out = `${hint}_${this.#counter++}`;
    this.nodes.push({ op, inputs, outputs: [out], name: `n_${out}`, attrs });
    return out;
  }

  init(t: OnnxTensor): string {
    this.initializers.push(t);
    return t.name;
  }

  /** A float scalar constant (shared by value). */
  scalar(v: number): string {
    const key = `f:${v}`;
    let name = this.#consts.get(key);
    if (!name) {
      name = `const_f_${this.#consts.size}`;
      this.init(floatTensor(name, [], Float32Array.of(v)));
      this.#consts.set(key, name);
    }
    return name;
  }

  /** An int64 1-D constant (shared by value). */
  ints(v: number[]): string {
    const key = `i:${v.join(",")}`;
    let name = this.#consts.get(key);
    if (!name) {
      name = `const_i_${this.#consts.size}`;
      this.init(int64Tensor(name, [v.length], v));
      this.#consts.set(key, name);
    }
    return name;
  }

  /** An int64 scalar constant. */
  intScalar(v: number): string {
    const key = `is:${v}`;
    let name = this.#consts.get(key);
    if (!name) {
      name = `const_is_${this.#consts.size}`;
      this.init(int64Tensor(name, [], [v]));
      this.#consts.set(key, name);
    }
    return name;
  }
}

/** What the exporter needs of a parameter: its shape and float32 values (a tf.Variable works). */
export interface ParamLike {
  shape: number[];
  dataSync(): Float32Array | Int32Array | Uint8Array;
}

/** The BertConfig fields the exporter reads (lib/models/config.ts). */
export interface BertConfigLike {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: string;
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  num_labels: number;
  pooling?: string;
  embedding_size?: number | null;
}

export interface ExportResult {
  bytes: Uint8Array;
  nodes: number;
  initializers: number;
  parameterCount: number;
}

/**
 * Exports a BertModel's classifier (config + params Map, names as lib/models/bert.ts) to ONNX.
 * Throws for what it does not support: pooling other than "cls".
 */
export function exportBertClassifier(
  config: BertConfigLike,
  params: ReadonlyMap<string, ParamLike>,
): ExportResult {
  const pooling = config.pooling ?? "cls";
  if (pooling !== "cls") {
    throw new RangeError(
      `exportBertClassifier: pooling ${JSON.stringify(pooling)} is not supported`,
    );
  }
  const h = config.hidden_size, nh = config.num_attention_heads, d = h / nh;
  const eps = config.layer_norm_eps;
  const e = config.embedding_size ?? h;
  if (!Number.isInteger(d)) throw new RangeError("hidden_size must be divisible by heads");

  const g = new GraphBuilder();
  let parameterCount = 0;
  const used = new Set<string>();
  const param = (name: string, shape: number[]): string => {
    const p = params.get(name);
    if (!p) throw new RangeError(`exportBertClassifier: missing parameter ${name}`);
    if (p.shape.join() !== shape.join()) {
      throw new RangeError(
        `exportBertClassifier: ${name} has shape [${p.shape}], expected [${shape}]`,
      );
    }
    const data = p.dataSync();
    if (!(data instanceof Float32Array)) throw new TypeError(`${name}: expected float32`);
    used.add(name);
    parameterCount += data.length;
    return g.init(floatTensor(name, shape, data));
  };
  const dense = (x: string, prefix: string, inDim: number, outDim: number): string => {
    const w = param(`${prefix}.weight`, [inDim, outDim]);
    const b = param(`${prefix}.bias`, [outDim]);
    return g.op("Add", [g.op("MatMul", [x, w], undefined, "mm"), b], undefined, "add");
  };
  const layerNorm = (x: string, prefix: string): string =>
    g.op(
      "LayerNormalization",
      [x, param(`${prefix}.weight`, [h]), param(`${prefix}.bias`, [h])],
      { axis: attrI(-1), epsilon: attrF(eps) },
      "ln",
    );
  const activation = (x: string): string => {
    switch (config.hidden_act) {
      case "gelu": { // exact: x * 0.5 * (1 + erf(x / sqrt 2))
        const erf = g.op("Erf", [g.op("Div", [x, g.scalar(Math.SQRT2)])]);
        const onePlus = g.op("Add", [erf, g.scalar(1)]);
        return g.op("Mul", [g.op("Mul", [x, g.scalar(0.5)]), onePlus], undefined, "gelu");
      }
      case "gelu_new": { // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        const x3 = g.op("Mul", [g.op("Mul", [x, x]), x]);
        const inner = g.op("Add", [x, g.op("Mul", [x3, g.scalar(0.044715)])]);
        const t = g.op("Tanh", [g.op("Mul", [inner, g.scalar(Math.sqrt(2 / Math.PI))])]);
        return g.op("Mul", [g.op("Mul", [x, g.scalar(0.5)]), g.op("Add", [t, g.scalar(1)])]);
      }
      case "relu":
        return g.op("Relu", [x]);
      default:
        throw new RangeError(`exportBertClassifier: hidden_act ${config.hidden_act} unsupported`);
    }
  };

  // Embeddings.
  let words = g.op(
    "Gather",
    [param("bert.embeddings.word_embeddings.weight", [config.vocab_size, e]), "input_ids"],
    { axis: attrI(0) },
    "words",
  ); // [b, s, e]
  if (e !== h) words = dense(words, "bert.embeddings.word_embeddings_projection", e, h);
  const types = g.op(
    "Gather",
    [
      param("bert.embeddings.token_type_embeddings.weight", [config.type_vocab_size, h]),
      "token_type_ids",
    ],
    { axis: attrI(0) },
    "types",
  ); // [b, s, h]
  const seqLen = g.op(
    "Slice",
    [g.op("Shape", ["input_ids"]), g.ints([1]), g.ints([2]), g.ints([0])],
    undefined,
    "seqlen",
  ); // [1] = [s]
  const positions = g.op(
    "Slice",
    [
      param("bert.embeddings.position_embeddings.weight", [config.max_position_embeddings, h]),
      g.ints([0]),
      seqLen,
      g.ints([0]),
    ],
    undefined,
    "positions",
  ); // [s, h]
  const sum = g.op("Add", [g.op("Add", [words, types]), positions], undefined, "emb");
  let x = layerNorm(sum, "bert.embeddings.LayerNorm");

  // Additive mask [b, 1, 1, s]: (1 - mask) * -1e9.
  const maskAdd = g.op(
    "Unsqueeze",
    [
      g.op("Mul", [g.op("Sub", [g.scalar(1), "attention_mask"]), g.scalar(-1e9)]),
      g.ints([1, 2]),
    ],
    undefined,
    "maskadd",
  );

  const headsShape = g.ints([0, 0, nh, d]); // Reshape: 0 copies the input dim
  const mergedShape = g.ints([0, 0, h]);
  const scale = g.scalar(1 / Math.sqrt(d));
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const l = `bert.encoder.layer.${i}`;
    const q0 = g.op("Mul", [dense(x, `${l}.attention.self.query`, h, h), scale]);
    const k0 = dense(x, `${l}.attention.self.key`, h, h);
    const v0 = dense(x, `${l}.attention.self.value`, h, h);
    const q = g.op("Transpose", [g.op("Reshape", [q0, headsShape])], {
      perm: attrInts([0, 2, 1, 3]),
    }, "q"); // [b, nh, s, d]
    const kT = g.op("Transpose", [g.op("Reshape", [k0, headsShape])], {
      perm: attrInts([0, 2, 3, 1]),
    }, "kT"); // [b, nh, d, s]
    const v = g.op("Transpose", [g.op("Reshape", [v0, headsShape])], {
      perm: attrInts([0, 2, 1, 3]),
    }, "v"); // [b, nh, s, d]
    const scores = g.op("Add", [g.op("MatMul", [q, kT]), maskAdd], undefined, "scores");
    const probs = g.op("Softmax", [scores], { axis: attrI(-1) }, "probs");
    const ctx = g.op("MatMul", [probs, v], undefined, "ctx"); // [b, nh, s, d]
    const merged = g.op(
      "Reshape",
      [
        g.op("Transpose", [ctx], { perm: attrInts([0, 2, 1, 3]) }),
        mergedShape,
      ],
      undefined,
      "merged",
    ); // [b, s, h]
    const attOut = layerNorm(
      g.op("Add", [dense(merged, `${l}.attention.output.dense`, h, h), x]),
      `${l}.attention.output.LayerNorm`,
    );
    const inter = activation(
      dense(attOut, `${l}.intermediate.dense`, h, config.intermediate_size),
    );
    const out = dense(inter, `${l}.output.dense`, config.intermediate_size, h);
    x = layerNorm(g.op("Add", [out, attOut]), `${l}.output.LayerNorm`);
  }

  // Pooler on token 0, classifier.
  const cls = g.op("Gather", [x, g.intScalar(0)], { axis: attrI(1) }, "cls"); // [b, h]
  const pooled = g.op("Tanh", [dense(cls, "bert.pooler.dense", h, h)], undefined, "pooled");
  const logitsPre = dense(pooled, "classifier", h, config.num_labels);
  g.nodes.push({ op: "Identity", inputs: [logitsPre], outputs: ["logits"], name: "n_logits" });

  const unused = [...params.keys()].filter((k) => !used.has(k) && !k.startsWith("cls."));
  if (unused.length) {
    throw new RangeError(`exportBertClassifier: parameters not exported: ${unused.join(", ")}`);
  }

  const bytes = encodeModel({
    name: "bert_classifier",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "input_ids", elemType: TensorDataType.INT64, shape: ["batch", "seq"] },
      { name: "token_type_ids", elemType: TensorDataType.INT64, shape: ["batch", "seq"] },
      { name: "attention_mask", elemType: TensorDataType.FLOAT, shape: ["batch", "seq"] },
    ],
    outputs: [{
      name: "logits",
      elemType: TensorDataType.FLOAT,
      shape: ["batch", config.num_labels],
    }],
  });
  return { bytes, nodes: g.nodes.length, initializers: g.initializers.length, parameterCount };
}
