import assert from "node:assert/strict";
import { DATASET_NAMES, datasetInfo, loadDataset, loadSplit } from "./registry.ts";

Deno.test("registry: every name loads its declared splits with labels in range", async () => {
  for (const name of DATASET_NAMES) {
    if (name === "sst2") continue; // the large one is covered in sst2_test.ts
    const d = await loadDataset(name);
    assert.deepEqual(Object.keys(d.splits).sort(), [...d.info.splits].sort(), name);
    for (const ex of Object.values(d.splits)) {
      assert.ok(ex.length > 0);
      assert.ok(
        ex.every((e) => Number.isInteger(e.label) && e.label >= 0 && e.label < d.info.numLabels),
        name,
      );
      assert.ok(ex.every((e) => (e.textB !== undefined) === (d.info.task === "pair")), name);
    }
  }
  assert.equal((await loadSplit("sst2", "dev")).length, 872);
});

Deno.test("registry: unknown names and splits list the valid ones", async () => {
  assert.throws(
    () => datasetInfo("sst-2"),
    new RegExp(
      String.raw`Unknown data set "sst-2"; valid: sst2, mr, mrpc, trec, subj, ` +
        String.raw`amazon\/books, amazon\/dvd, ` +
        String.raw`amazon\/electronics, amazon\/kitchen, textfooler\/mr, ` +
        String.raw`.*textfooler\/mnli_mismatched`,
    ),
  );
  await assert.rejects(loadDataset("imdb"), /valid: sst2, mr/);
  await assert.rejects(
    loadSplit("sst2", "test"),
    /Data set sst2 has no split "test"; valid: train, dev/,
  );
  await assert.rejects(loadSplit("textfooler/mr", "train"), /valid: test/);
});
