import assert from "node:assert/strict";
import { join } from "node:path";
import { AMAZON_FILES, readCorpus, tokenize, wholeSentences } from "./corpus.ts";

async function fixtureRoot(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "wordvec_corpus_" });
  for (const [rel, body] of Object.entries(files)) {
    await Deno.mkdir(join(root, rel, ".."), { recursive: true });
    if (typeof body === "string") await Deno.writeTextFile(join(root, rel), body);
    else await Deno.writeFile(join(root, rel), body);
  }
  return root;
}

const review = (title: string, text: string) =>
  `<review>\n<title>\n${title}\n</title>\n<review_text>\n${text}\n</review_text>\n</review>\n`;

Deno.test("tokenize lower-cases and splits as the attacks do", () => {
  assert.deepEqual(tokenize("It 's a Charming, well-made film!"), [
    "it",
    "s",
    "a",
    "charming",
    "well-made",
    "film",
  ]);
});

Deno.test("wholeSentences drops rows that are token spans of another row", () => {
  const rows = ["a charming film ", "charming film", "a charming", "film", "dull", "dull", "b c"];
  assert.deepEqual(wholeSentences(rows), ["a charming film", "dull", "b c"]);
  assert.deepEqual(wholeSentences([]), []);
  // A substring that does not fall on token boundaries is not a sub-phrase.
  assert.deepEqual(wholeSentences(["charming", "harm"]), ["charming", "harm"]);
});

Deno.test("readCorpus decodes windows-1252 (Latin-1) files", async () => {
  // "h\xe9roes \x96 caf\xe9" in windows-1252: é = 0xE9, en dash = 0x96.
  const latin = new Uint8Array([
    ...new TextEncoder().encode("los h"),
    0xe9,
    ...new TextEncoder().encode("roes \x00"),
  ].filter((b) => b !== 0));
  const subjective = new Uint8Array([...latin, 0x96, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]);
  const root = await fixtureRoot({
    "subj/subj.objective": "A Plain line .\n\nanother line\n",
    "subj/subj.subjective": subjective,
    "trec/TREC.train": new Uint8Array([
      ...new TextEncoder().encode("LOC:city Which sister"),
      0xf0,
      ...new TextEncoder().encode("city ?\n"),
    ]),
    "trec/TREC.test": "HUM:ind Who wrote it ?\nnolabel here\n",
  });
  try {
    const c = await readCorpus({ dataRoot: root, sources: ["subj", "trec"] });
    assert.deepEqual(c.sequences, [
      ["a", "plain", "line"],
      ["another", "line"],
      ["los", "héroes", "café"],
      ["which", "sisterðcity"],
      ["who", "wrote", "it"],
    ]);
    assert.equal(c.tokens, 13);
    assert.equal(c.types, 12);
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0], /trec\/TREC\.test: line 2: expected "COARSE:fine question"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("readCorpus names the file and line of bytes that are not UTF-8", async () => {
  const root = await fixtureRoot({
    "cr/custrev.pos": new Uint8Array([0x6f, 0x6b, 0x0a, 0x62, 0xe9, 0x0a]),
    "cr/custrev.neg": "fine\n",
  });
  try {
    await assert.rejects(
      readCorpus({ dataRoot: root, sources: ["cr"] }),
      /Cannot read .*cr\/custrev\.pos: line 2 is not valid UTF-8/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("readCorpus reports a malformed Amazon review (file, line), reads the rest", async () => {
  const files: Record<string, string> = {};
  AMAZON_FILES.forEach((rel, i) => files[rel] = `<reviews>\n${review(`t${i}`, `body ${i}`)}`);
  files["amazon/dvd/negative.review"] = "<reviews>\n" + review("good one", "fine &amp; dandy") +
    "<review>\n<title>\nbroken\n</title>\n<review_text>\nnever closed\n</review>\n" +
    review("after", "still read");
  const root = await fixtureRoot(files);
  try {
    const c = await readCorpus({ dataRoot: root, sources: ["amazon"] });
    assert.equal(c.warnings.length, 1, c.warnings.join("\n"));
    assert.match(
      c.warnings[0],
      /amazon\/dvd\/negative\.review: line 16: <review_text> \(line 14\) not closed/,
    );
    const texts = c.sequences.map((s) => s.join(" "));
    assert.ok(texts.includes("fine dandy"));
    assert.ok(texts.includes("still read"));
    assert.ok(!texts.some((t) => t.includes("broken") || t.includes("never")));
    assert.equal(c.stats[0].note, "9 reviews: `<title>` and `<review_text>` as two sequences");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("readCorpus drops duplicate sequences and rejects unknown sources", async () => {
  const root = await fixtureRoot({
    "mpqa/mpqa.pos": "so good\nSo good !\n",
    "mpqa/mpqa.neg": "so good\nbad\n",
  });
  try {
    const c = await readCorpus({ dataRoot: root, sources: ["mpqa"] });
    assert.deepEqual(c.sequences, [["so", "good"], ["bad"]]);
    assert.equal(c.stats[0].duplicates, 2);
    const all = await readCorpus({ dataRoot: root, sources: ["mpqa"], dedupe: false });
    assert.equal(all.sequences.length, 4);
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      readCorpus({ dataRoot: root, sources: ["imdb" as any] }),
      /Unknown corpus source "imdb"; valid: sst2, mr, textfooler/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
