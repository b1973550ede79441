/**
 * Test/bench helper: uses the project's `lib/backend/mod.ts` `initBackend()` when it exists,
 * otherwise plain tfjs-backend-wasm. Models in this area carry their own wasm-safe gradients,
 * so they do not depend on the backend's gradient fixes.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

let ready: Promise<void> | null = null;

export function testBackend(): Promise<void> {
  ready ??= (async () => {
    const spec = new URL("../backend/mod.ts", import.meta.url).href;
    try {
      await Deno.stat(new URL(spec));
      const mod = await import(spec);
      if (typeof mod.initBackend === "function") {
        await mod.initBackend();
        return;
      }
    } catch (_) {
      // backend area not there yet (or failed): plain wasm below
    }
    await tf.setBackend("wasm");
    await tf.ready();
  })();
  return ready;
}
