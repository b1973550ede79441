/**
 * Part-of-speech tags from wink-nlp with its English lite model (npm `wink-nlp@2.4.0`,
 * `wink-eng-lite-web-model@1.8.1`): a context-aware tagger with Universal Dependencies tags,
 * pure JS, about 0.04 ms per short sentence here. Chosen over `pos` and `en-pos` (both also work
 * under Deno) because it tags in context and already speaks the universal tagset TextAttack's
 * `PartOfSpeech` uses. UD tags are folded into NLTK's universal tagset: PROPN -> NOUN,
 * AUX -> VERB, CCONJ/SCONJ -> CONJ, PART -> PRT.
 *
 * `tagWordsWithForms` adds, for verbs, their inflection from wink's lemma (ours, to stand in for
 * the Penn tags VB / VBZ / VBD-VBN / VBG that the universal tagset folds together):
 * `VERB:base` (the word is its lemma), `VERB:ing`, `VERB:s` (third person, "is", "has"),
 * `VERB:ed` (any other inflected form: past tense and participles, "was"). Known failure modes
 * (seen here): a participle used as an adjective is tagged VERB ("often affecting journey":
 * `affecting` VERB:ing), "'s" is PRT, and an unknown or misspelled word takes its tag from the
 * context (a TextBugger "bug" keeps the tag of the word it replaced more often than not).
 */
import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";
import { Lru } from "../_lru.ts";

// deno-lint-ignore no-explicit-any
let nlp: any;
const cache = new Lru<string, { tags: string[]; forms: string[] }>(2 ** 16);

const FOLD: Record<string, string> = {
  PROPN: "NOUN",
  AUX: "VERB",
  CCONJ: "CONJ",
  SCONJ: "CONJ",
  PART: "PRT",
};

/** Universal tags, one per word, for words tagged together as one space-joined sentence. */
export function tagWords(words: readonly string[]): string[] {
  return tagged(words).tags;
}

/** As `tagWords`, with each verb's inflection: `VERB:base|ing|s|ed` (see the file comment). */
export function tagWordsWithForms(words: readonly string[]): string[] {
  const { tags, forms } = tagged(words);
  return tags.map((t, i) => t === "VERB" ? `VERB:${forms[i]}` : t);
}

/** A verb's inflection from its surface form and lemma. */
export function verbForm(value: string, lemma: string): "base" | "ing" | "s" | "ed" {
  const v = value.toLowerCase(), l = lemma.toLowerCase();
  if (v === l) return "base";
  if (v.endsWith("ing")) return "ing";
  if (v.endsWith("s") && !v.endsWith("ss") && v !== "was") return "s";
  return "ed";
}

function tagged(words: readonly string[]): { tags: string[]; forms: string[] } {
  const key = words.join(" ");
  const hit = cache.get(key);
  if (hit) return hit;
  nlp ??= winkNLP(model);
  const doc = nlp.readDoc(key);
  const values: string[] = doc.tokens().out(nlp.its.value);
  const tags: string[] = doc.tokens().out(nlp.its.pos);
  const lemmas: string[] = doc.tokens().out(nlp.its.lemma);
  // Locate each token in the string, then give every word the tag of the token at its start.
  const starts: number[] = [];
  let pos = 0;
  for (const v of values) {
    const at = key.indexOf(v, pos);
    starts.push(at === -1 ? pos : at);
    if (at !== -1) pos = at + v.length;
  }
  const out: string[] = [], forms: string[] = [];
  let offset = 0, t = 0;
  for (const w of words) {
    while (t + 1 < starts.length && starts[t + 1] <= offset) t++;
    const tag = tags[t] ?? "X";
    out.push(FOLD[tag] ?? tag);
    forms.push(verbForm(values[t] ?? w, lemmas[t] ?? w));
    offset += w.length + 1;
  }
  const result = { tags: out, forms };
  cache.set(key, result);
  return result;
}
