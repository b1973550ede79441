import assert from "node:assert/strict";
import { loadSst2 } from "./sst2.ts";
import { tempDataRoot } from "./_test_util.ts";

Deno.test("SST-2: bundled splits have GLUE's sizes, trimmed text and 0/1 labels", async () => {
  const train = await loadSst2("train");
  const dev = await loadSst2("dev");
  assert.equal(train.length, 67349);
  assert.equal(dev.length, 872);
  assert.deepEqual(train[0], {
    text: "hide new secretions from the parental units",
    label: 0,
    source: "data/sst2/train.tsv:2",
  });
  assert.equal(dev[0].text, "it 's a charming and often affecting journey .");
  assert.equal(dev[0].label, 1);
  assert.ok(
    train.every((e) =>
      e.text === e.text.trim() && e.text.length > 0 && (e.label === 0 || e.label === 1)
    ),
  );
  const pos = dev.filter((e) => e.label === 1).length;
  assert.equal(pos, 444); // GLUE SST-2 dev: 444 positive, 428 negative
});

Deno.test("SST-2: bad rows name file, line and the expected form", async () => {
  const root = await tempDataRoot({
    "sst2/train.tsv": "sentence\tlabel\ngood film \t1\nbad\tfilm\t0\n",
    "sst2/dev.tsv": "sentence\tlabel\nfine \t1\nmeh \tx\n",
  });
  const display = `${root}/sst2/train.tsv`;
  await assert.rejects(loadSst2("train", { dataRoot: root }), {
    name: "SyntaxError",
    message: `Cannot load ${display}: line 3 has 3 columns, expected 2 (sentence<TAB>label)`,
  });
  await assert.rejects(loadSst2("dev", { dataRoot: root }), (e: Error) => {
    assert.match(e.message, /sst2\/dev\.tsv: line 3 is invalid: label must be 0 or 1, got "x"$/);
    return true;
  });
  await Deno.writeTextFile(`${root}/sst2/dev.tsv`, "text\tlabel\nfine\t1\n");
  await assert.rejects(
    loadSst2("dev", { dataRoot: root }),
    /line 1 is "text\\tlabel", expected the header sentence<TAB>label/,
  );
  await Deno.writeTextFile(`${root}/sst2/dev.tsv`, "sentence\tlabel\n \t1\n");
  await assert.rejects(loadSst2("dev", { dataRoot: root }), /line 2 is invalid: sentence is empty/);
  await assert.rejects(
    loadSst2("test" as "dev", { dataRoot: root }),
    /Unknown SST-2 split "test"; valid: train, dev/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test(
  "SST-2: invalid UTF-8 is reported with its line; a missing file with its path",
  async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("sentence\tlabel\nok \t1\ncaf"),
      0xe9, // Latin-1 é: not UTF-8
      ...new TextEncoder().encode(" \t0\n"),
    ]);
    const root = await tempDataRoot({ "sst2/train.tsv": bytes });
    await assert.rejects(
      loadSst2("train", { dataRoot: root }),
      /train\.tsv: line 3 is not valid UTF-8/,
    );
    await assert.rejects(
      loadSst2("dev", { dataRoot: root }),
      /Cannot load .*sst2\/dev\.tsv: file not found/,
    );
    await Deno.remove(root, { recursive: true });
  },
);

Deno.test("SST-2: the data root does not depend on the cwd", async () => {
  const cwd = Deno.cwd();
  const tmp = await Deno.makeTempDir();
  try {
    Deno.chdir(tmp);
    assert.equal((await loadSst2("dev")).length, 872);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(tmp);
  }
});
