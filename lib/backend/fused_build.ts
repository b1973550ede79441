/**
 * The fused kernels' build surface (imported only by `deno task kernels` and its test, so that
 * nothing at run time loads npm `wabt`): compile `_fused.wat`, render `_fused_wasm.ts`.
 */
export {
  compileFusedWat,
  sha256Hex,
  WASM_TS_PATH,
  wasmModuleSource,
  WAT_PATH,
} from "./_fused_build.ts";
export { FUSED_WASM_BASE64 } from "./_fused_wasm.ts";
