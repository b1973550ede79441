import assert from "node:assert/strict";
import { join } from "node:path";
import { assertChecksums, parseChecksums, verifyChecksums } from "./checksums.ts";
import { DEFAULT_DATA_ROOT } from "./_files.ts";

Deno.test("checksums: every bundled file matches data/SHA256SUMS", async () => {
  const r = await verifyChecksums();
  assert.deepEqual(r.mismatched, []);
  assert.deepEqual(r.missing, []);
  assert.equal(r.checked, 35);
  assert.ok(r.ok);
});

Deno.test("checksums: a tampered and a missing copy are reported by name", async () => {
  const root = await Deno.makeTempDir({ prefix: "lib_data_sums_" });
  try {
    await Deno.copyFile(join(DEFAULT_DATA_ROOT, "SHA256SUMS"), join(root, "SHA256SUMS"));
    for (const dir of ["sst2", "mr"]) await Deno.mkdir(join(root, dir));
    await Deno.copyFile(
      join(DEFAULT_DATA_ROOT, "mr/rt-polarity.pos"),
      join(root, "mr/rt-polarity.pos"),
    );
    const dev = await Deno.readFile(join(DEFAULT_DATA_ROOT, "sst2/dev.tsv"));
    dev[100] ^= 1; // one flipped bit
    await Deno.writeFile(join(root, "sst2/dev.tsv"), dev);
    const r = await verifyChecksums(root);
    assert.equal(r.ok, false);
    assert.deepEqual(r.mismatched.map((m) => m.path), ["sst2/dev.tsv"]);
    assert.ok(r.missing.includes("sst2/train.tsv"));
    assert.ok(!r.missing.includes("mr/rt-polarity.pos"));
    await assert.rejects(assertChecksums(root), /sst2\/dev\.tsv \(sha256 differs\)/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("checksums: a malformed SHA256SUMS line is named", () => {
  assert.throws(
    () => parseChecksums("abc  file\n"),
    /SHA256SUMS: line 1 is "abc {2}file": expected/,
  );
  assert.deepEqual(parseChecksums(`${"a".repeat(64)}  x/y.tsv\n`), [{
    sha256: "a".repeat(64),
    path: "x/y.tsv",
  }]);
});
