import assert from "node:assert/strict";
import { formatSeconds } from "./format_seconds.ts";

Deno.test(
  "formatSeconds: seconds below 90 s, else minutes " +
    "and zero-padded seconds, rounded once",
  () => {
    assert.equal(formatSeconds(12.34), "12.3 s");
    assert.equal(formatSeconds(89.96), "90.0 s");
    assert.equal(formatSeconds(90), "1 min 30 s");
    assert.equal(formatSeconds(179.6), "3 min 00 s");
    assert.equal(formatSeconds(3725.2), "62 min 05 s");
  },
);
