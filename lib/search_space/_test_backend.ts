/**
 * Test helper: the project's backend setup (`lib/backend/mod.ts` initBackend, wasm + gradient
 * fixes) when it exists, else plain wasm. Not part of the public surface.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

let ready: Promise<void> | null = null;

export function setupBackend(): Promise<void> {
  ready ??= (async () => {
    const path = new URL("../backend/mod.ts", import.meta.url);
    let done = false;
    try {
      await Deno.stat(path);
      const mod = await import(path.href);
      if (typeof mod.initBackend === "function") {
        await mod.initBackend();
        done = true;
      }
    } catch {
      done = false;
    }
    if (!done || tf.getBackend() !== "wasm") {
      await tf.setBackend("wasm");
      await tf.ready();
    }
  })();
  return ready;
}
