// Fixture of mod_test.ts: initBackend on the CPU backend, then one tensor write.
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../mod.ts";
await initBackend();
console.log(tf.getBackend(), tf.tensor([1, 2]).dataSync().join(","));
