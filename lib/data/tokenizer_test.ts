import assert from "node:assert/strict";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { bertTokenizerJson, createBertTokenizer, readVocab, truncatePair } from "./tokenizer.ts";
import { DEFAULT_DATA_ROOT } from "./_files.ts";
import { loadDataset } from "./registry.ts";

const VOCAB = join(DEFAULT_DATA_ROOT, "vocab", "bert-base-uncased-vocab.txt");

// Ids read by hand from the vocab file (id = line number - 1): hello 7592, "," 1010, world 2088,
// "!" 999, cafe 7668, naive 15743, don 2123, "'" 1005, t 1056, it 2009, s 1055,
// 中 1746, 国 1799, 人 1756, the 1996, cat 4937, a 1037, dog 3899, [UNK] 100, [CLS] 101, [SEP] 102.
Deno.test("tokenizer: the hand-read ids are what the vocab file says", async () => {
  const lines = (await Deno.readTextFile(VOCAB)).split("\n");
  const expect: Record<string, number> = {
    "[PAD]": 0,
    "[UNK]": 100,
    "[CLS]": 101,
    "[SEP]": 102,
    "[MASK]": 103,
    hello: 7592,
    ",": 1010,
    world: 2088,
    "!": 999,
    cafe: 7668,
    naive: 15743,
    don: 2123,
    "'": 1005,
    t: 1056,
    it: 2009,
    s: 1055,
    "中": 1746,
    "国": 1799,
    "人": 1756,
    the: 1996,
    cat: 4937,
    a: 1037,
    dog: 3899,
  };
  for (const [tok, id] of Object.entries(expect)) assert.equal(lines[id], tok, `line ${id + 1}`);
  const t = await createBertTokenizer();
  for (const [tok, id] of Object.entries(expect)) {
    assert.equal(t.tokenToId(tok), id);
    assert.equal(t.idToToken(id), tok);
  }
  assert.equal(t.vocabSize, 30522);
  assert.deepEqual(t.specialIds, { pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 });
  assert.throws(() => t.idToToken(30522), /Token id must be an integer in \[0, 30522\), got 30522/);
});

Deno.test(
  "tokenizer: punctuation, accents, contractions, CJK, unknown and long words",
  async () => {
    const t = await createBertTokenizer();
    assert.deepEqual(t.encode("Hello, world!"), {
      ids: [101, 7592, 1010, 2088, 999, 102],
      tokenTypeIds: [0, 0, 0, 0, 0, 0],
      tokens: ["[CLS]", "hello", ",", "world", "!", "[SEP]"],
    });
    assert.deepEqual(t.encode("Café naïve").ids, [101, 7668, 15743, 102]);
    assert.deepEqual(t.encode("don't").ids, [101, 2123, 1005, 1056, 102]);
    assert.deepEqual(t.encode("it's").ids, [101, 2009, 1005, 1055, 102]);
    // each CJK char its own token
    assert.deepEqual(t.encode("中国人").ids, [101, 1746, 1799, 1756, 102]);
    assert.deepEqual(t.encode("a 🤗 dog").ids, [101, 1037, 100, 3899, 102]); // not in the vocab
    assert.deepEqual(t.encode("a" + "b".repeat(119)).ids, [101, 100, 102]); // 120 chars > 100
    assert.deepEqual(t.tokenizeWords("unaffable"), ["una", "##ffa", "##ble"]);
    assert.deepEqual(t.tokenizeWords("  \t\n "), []);
    assert.deepEqual(t.encode("").ids, [101, 102]);
    // literal special tokens in text are kept whole, as Hugging Face does
    assert.deepEqual(t.encode("the [MASK] dog").ids, [101, 1996, 103, 3899, 102]);
    assert.equal(t.decode(t.encode("Unaffable, isn't it?").ids), "unaffable , isn ' t it ?");
  },
);

Deno.test("tokenizer: pairs carry token types; truncation is longest_first", async () => {
  const t = await createBertTokenizer();
  const e = t.encode("the cat", "a dog");
  assert.deepEqual(e.ids, [101, 1996, 4937, 102, 1037, 3899, 102]);
  assert.deepEqual(e.tokenTypeIds, [0, 0, 0, 0, 1, 1, 1]);
  const long = t.encode("the cat the cat the cat", "a dog", { maxLength: 8 });
  assert.deepEqual(long.ids, [101, 1996, 4937, 1996, 102, 1037, 3899, 102]);
  const single = t.encode("the cat the cat the cat", undefined, { maxLength: 4 });
  assert.deepEqual(single.ids, [101, 1996, 4937, 102]);
  assert.throws(
    () => t.encode("the cat", undefined, { maxLength: 3, truncation: false }),
    /truncation is off/,
  );
  assert.throws(() => t.encode("x", "y", { maxLength: 2 }), /maxLength must be an integer >= 3/);
  assert.equal(t.encode("x ".repeat(500)).ids.length, 128); // default maxLength
});

Deno.test("truncatePair equals removing one token at a time from the longer (B on ties)", () => {
  const oneByOne = (la: number, lb: number, budget: number) => {
    while (la + lb > budget) {
      if (la > lb) la--;
      else lb--;
    }
    return [la, lb];
  };
  for (let la = 0; la <= 12; la++) {
    for (let lb = 0; lb <= 12; lb++) {
      for (let budget = 0; budget <= 26; budget++) {
        const a = Array(la).fill("x");
        const b = Array(lb).fill("y");
        truncatePair(a, b, budget, "longest_first");
        assert.deepEqual([a.length, b.length], oneByOne(la, lb, budget), `${la},${lb},${budget}`);
      }
    }
  }
});

Deno.test("tokenizer: cased mode keeps case and accents", async () => {
  const t = await createBertTokenizer({ lowercase: false });
  assert.deepEqual(t.tokenizeWords("Café"), ["[UNK]"]); // the uncased vocab has no "Café"
  assert.deepEqual(t.tokenizeWords("hello"), ["hello"]);
});

Deno.test(
  "tokenizer: the cached fast path equals tokenizers.js's full pipeline on bundled text",
  async () => {
    const t = await createBertTokenizer();
    const vocab = await readVocab(VOCAB);
    const ref = new Tokenizer(bertTokenizerJson(vocab, true, t.specialIds), {});
    const texts: string[] = [];
    for (
      const name of [
        "mr",
        "mrpc",
        "textfooler/mr",
        "textfooler/ag",
        "textfooler/snli",
        "textfooler/yelp",
      ]
    ) {
      for (const ex of Object.values((await loadDataset(name)).splits)) {
        for (const e of ex) texts.push(e.text, ...(e.textB ? [e.textB] : []));
      }
    }
    texts.push("Ünïcödé ½ — “quotes” …", "tab\tand\u00a0nbsp\u200bzero-width", "x\u0000y");
    let n = 0;
    for (const s of texts) {
      assert.deepEqual(t.tokenizeWords(s), ref.tokenize(s), s);
      n++;
    }
    assert.ok(n > 20000);
  },
);
