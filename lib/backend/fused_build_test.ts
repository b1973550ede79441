/** The committed fused-kernel binary is the build of the committed source (`deno task kernels`). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../project/mod.ts";
import {
  compileFusedWat,
  FUSED_WASM_BASE64,
  sha256Hex,
  WASM_TS_PATH,
  wasmModuleSource,
  WAT_PATH,
} from "./fused_build.ts";
import { decodeBase64 } from "./_base64.ts";

/** The ids of a wasm binary's sections, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8; // magic and version
  while (p < bytes.length) {
    ids.push(bytes[p++]);
    let size = 0, shift = 0, b;
    do {
      b = bytes[p++];
      size |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    p += size;
  }
  return ids;
}

const read = (p: string) => Deno.readTextFileSync(join(PROJECT_ROOT, p));

Deno.test("fused build: _fused_wasm.ts is what _fused.wat compiles to", async () => {
  const bytes = await compileFusedWat(read(WAT_PATH));
  assert.equal(read(WASM_TS_PATH), wasmModuleSource(bytes, await sha256Hex(bytes)));
  assert.deepEqual(decodeBase64(FUSED_WASM_BASE64), bytes);
  // the module owns no memory, data or globals: it imports tfjs's memory and nothing else
  const module = new WebAssembly.Module(bytes as BufferSource);
  assert.deepEqual(WebAssembly.Module.imports(module), [
    { module: "env", name: "memory", kind: "memory" },
  ]);
  assert.ok(WebAssembly.Module.exports(module).every((e) => e.kind === "function"));
  // no memory (5), global (6), data (11) or data-count (12) section
  const ids = sectionIds(bytes);
  assert.ok(ids.includes(10), `a code section: ${ids}`);
  assert.deepEqual(ids.filter((id) => [5, 6, 11, 12].includes(id)), []);
});

Deno.test("fused build: a changed source changes the binary; errors name the line", async () => {
  const source = read(WAT_PATH);
  const changed = await compileFusedWat(source.replace("f32.const 0.3275911", "f32.const 0.33"));
  assert.notDeepEqual(changed, decodeBase64(FUSED_WASM_BASE64));
  await assert.rejects(
    () => compileFusedWat(source.replace("(f32x4.abs", "(f32x4.absolutely"), "k.wat"),
    /k\.wat:\d+:\d+/,
  );
});
