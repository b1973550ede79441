import assert from "node:assert/strict";
import { Prng } from "./mod.ts";

Deno.test("same seed gives the same stream, different seeds differ", () => {
  const a = Prng.fromSeed(42), b = Prng.fromSeed(42), c = Prng.fromSeed(43);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextUint32()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextUint32()));
});

Deno.test("state round trip continues the stream", () => {
  const a = Prng.fromSeed(7);
  a.next();
  const b = Prng.fromState(JSON.parse(JSON.stringify(a.state())));
  assert.deepEqual([a.next(), a.int(10), a.normal()], [b.next(), b.int(10), b.normal()]);
});

Deno.test("uniform ints cover the range evenly and shuffle is a permutation", () => {
  const p = Prng.fromSeed(1);
  const counts = new Array(4).fill(0);
  for (let i = 0; i < 40000; i++) counts[p.int(4)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `count ${c}`);
  const xs = p.shuffle([...Array(50).keys()]);
  assert.deepEqual([...xs].sort((a, b) => a - b), [...Array(50).keys()]);
  assert.notDeepEqual(xs, [...Array(50).keys()]);
});

Deno.test("bad seeds and states are rejected with a clear message", () => {
  assert.throws(() => Prng.fromSeed(1.5), /safe integer/);
  assert.throws(
    () => Prng.fromState([1, 2, 3] as unknown as [number, number, number, number]),
    /four/,
  );
  assert.throws(() => Prng.fromSeed(1).int(0), /positive/);
});

Deno.test("setState continues a stream from four words, signed or unsigned", () => {
  const a = Prng.fromSeed(3);
  for (let i = 0; i < 5; i++) a.nextUint32();
  const b = Prng.fromSeed(99);
  b.setState(Int32Array.from(a.state()));
  assert.deepEqual(b.state(), a.state().map((w) => w >>> 0)); // the words, as unsigned
  assert.deepEqual([b.nextUint32(), b.nextUint32()], [a.nextUint32(), a.nextUint32()]);
  assert.throws(() => b.setState([1, 2, 3]), /four words, got 3/);
});
