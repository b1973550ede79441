/**
 * `deno task kernels [--check]`: compiles lib/backend/_fused.wat (the fused WebAssembly SIMD
 * kernels) and writes lib/backend/_fused_wasm.ts; `--check` writes nothing and exits 1 when the
 * committed binary is not what the committed source compiles to.
 */
import {
  compileFusedWat,
  FUSED_WASM_BASE64,
  sha256Hex,
  WASM_TS_PATH,
  wasmModuleSource,
  WAT_PATH,
} from "../../lib/backend/fused_build.ts";
import { parseCli } from "../_shared/cli.ts";

const { values } = parseCli({
  task: "kernels",
  usage: "deno task kernels [--check]",
  options: { check: { type: "boolean", default: false } },
});
const bytes = await compileFusedWat(await Deno.readTextFile(WAT_PATH));
const source = wasmModuleSource(bytes, await sha256Hex(bytes));
if (values.check) {
  const committed = await Deno.readTextFile(WASM_TS_PATH);
  if (committed !== source) {
    console.error(
      `${WASM_TS_PATH} is not the build of ${WAT_PATH} ` +
        `(committed ${FUSED_WASM_BASE64.length} base64 characters); run \`deno task kernels\``,
    );
    Deno.exit(1);
  }
  console.log(`${WASM_TS_PATH} is current (${bytes.length} bytes)`);
} else {
  await Deno.writeTextFile(WASM_TS_PATH, source);
  console.log(`wrote ${WASM_TS_PATH} (${bytes.length} bytes from ${WAT_PATH})`);
}
