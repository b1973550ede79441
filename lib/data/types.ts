/** One labelled example. `textB` is set for sentence-pair tasks (MRPC, NLI). */
export interface Example {
  text: string;
  textB?: string;
  /** Integer class label, 0-based. */
  label: number;
  /** Where it came from, for error messages and records: `data/sst2/dev.tsv:12`. */
  source?: string;
}

/**
 * A tokenized batch as plain typed arrays, row-major [batch, seqLen].
 * Models turn these into tensors; the data layer never imports tfjs.
 */
export interface EncodedBatch {
  batchSize: number;
  seqLen: number;
  inputIds: Int32Array; // [batch * seqLen]
  tokenTypeIds: Int32Array; // [batch * seqLen]
  attentionMask: Int32Array; // [batch * seqLen], 1 = real token, 0 = padding
  labels?: Int32Array; // [batch]
  /** Indices of the examples in the source array, in batch order. */
  indices: number[];
}
