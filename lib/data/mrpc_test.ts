import assert from "node:assert/strict";
import { loadMrpc, loadMrpcUnlabelled } from "./mrpc.ts";
import { tempDataRoot } from "./_test_util.ts";

Deno.test("MRPC: pairs with labels from Quality; BOM dropped; quotes kept", async () => {
  const train = await loadMrpc("train");
  const dev = await loadMrpc("dev");
  assert.equal(train.length, 3668);
  assert.equal(dev.length, 408);
  assert.equal(train.filter((e) => e.label === 1).length, 2474);
  assert.equal(train[0].label, 1);
  assert.equal(
    train[0].text,
    'Amrozi accused his brother, whom he called "the witness", of deliberately distorting his ' +
      "evidence.",
  );
  assert.equal(
    train[0].textB,
    'Referring to him as only "the witness", Amrozi accused his brother of deliberately ' +
      "distorting his evidence.",
  );
  assert.equal(
    dev[0].textB,
    '"The foodservice pie business does not fit our long-term growth strategy.',
  );
  assert.ok([...train, ...dev].every((e) => e.textB && e.textB.length > 0));
  const test = await loadMrpcUnlabelled();
  assert.equal(test.length, 1725);
  assert.ok(test.every((e) => e.label === -1 && e.textB));
  await assert.rejects(loadMrpc("test" as "dev"), /no labels: use loadMrpcUnlabelled/);
});

Deno.test("MRPC: a row with 4 columns or a bad Quality names the line", async () => {
  const header = "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n";
  const root = await tempDataRoot({
    "mrpc/train.tsv": header + "1\t1\t2\ta\tb\n1\t3\t4\tonly three\n",
    "mrpc/dev.tsv": header + "2\t1\t2\ta\tb\n",
  });
  await assert.rejects(
    loadMrpc("train", { dataRoot: root }),
    /line 3 has 4 columns, expected 5 \(Quality<TAB>#1 ID<TAB>#2 ID<TAB>#1 String<TAB>#2 String\)/,
  );
  await assert.rejects(
    loadMrpc("dev", { dataRoot: root }),
    /line 2 is invalid: label must be 0 or 1, got "2"/,
  );
  await Deno.remove(root, { recursive: true });
});
