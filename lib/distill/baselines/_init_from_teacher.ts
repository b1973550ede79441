/**
 * Copies teacher weights into a student of the same width (BERT-PKD and DistilBERT initialise
 * their students from the teacher's layers): embeddings, the chosen encoder layers, and the
 * pooler + classifier head. A factorised student word table ([vocab, E] + projection E -> hidden)
 * starts from the teacher table's best rank-E approximation (factoriseEmbedding).
 */
import * as tf from "@tensorflow/tfjs";
import { type BertModel, factoriseEmbedding, isFactorised } from "../../models/mod.ts";

const WORDS = "bert.embeddings.word_embeddings.weight";
const PROJECTION = "bert.embeddings.word_embeddings_projection";

/**
 * `layers[i]` is the teacher layer (0-based encoder index) copied into student layer i.
 * Returns the number of tensors copied. Throws when widths or names differ.
 */
export function initFromTeacher(student: BertModel, teacher: BertModel, layers: number[]): number {
  const sc = student.config, tc = teacher.config;
  if (sc.hidden_size !== tc.hidden_size || sc.intermediate_size !== tc.intermediate_size) {
    throw new RangeError(
      `initFromTeacher: the student (hidden ${sc.hidden_size}, FF ${sc.intermediate_size}) ` +
        "must have " +
        `the teacher's width (hidden ${tc.hidden_size}, FF ${tc.intermediate_size})`,
    );
  }
  if (layers.length !== sc.num_hidden_layers) {
    throw new RangeError(
      `initFromTeacher: ${layers.length} teacher layers given ` +
        `for a ${sc.num_hidden_layers}-layer student`,
    );
  }
  const bad = layers.find((l) => !(Number.isInteger(l) && l >= 0 && l < tc.num_hidden_layers));
  if (bad !== undefined) {
    throw new RangeError(
      `initFromTeacher: teacher layer ${bad} does not exist (valid 0..${tc.num_hidden_layers - 1})`,
    );
  }
  const layerPrefix = "bert.encoder.layer.";
  let copied = 0;
  const factorise = isFactorised(sc) && !isFactorised(tc);
  if (factorise) {
    const table = teacher.params.get(WORDS)! as tf.Tensor as tf.Tensor2D;
    const f = factoriseEmbedding(table, sc.embedding_size!, { seed: 0 });
    student.params.get(WORDS)!.assign(f.table);
    student.params.get(`${PROJECTION}.weight`)!.assign(f.projection);
    const bias = student.params.get(`${PROJECTION}.bias`)!;
    tf.tidy(() => bias.assign(tf.zerosLike(bias)));
    tf.dispose([f.table, f.projection]);
    copied += 3;
  }
  for (const [name, v] of student.params) {
    if (factorise && (name === WORDS || name.startsWith(PROJECTION))) {
      continue; // set from the factorisation above
    }
    let source = name;
    if (name.startsWith(layerPrefix)) {
      const rest = name.slice(layerPrefix.length);
      const dot = rest.indexOf(".");
      source = `${layerPrefix}${layers[Number(rest.slice(0, dot))]}${rest.slice(dot)}`;
    }
    const t = teacher.params.get(source);
    if (!t) throw new RangeError(`initFromTeacher: the teacher has no parameter ${source}`);
    if (t.shape.join() !== v.shape.join()) {
      throw new RangeError(
        `initFromTeacher: ${source} is [${t.shape}] in the teacher, [${v.shape}] in the student`,
      );
    }
    v.assign(t);
    copied++;
  }
  return copied;
}
