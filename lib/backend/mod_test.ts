import { DENO } from "../../test/deno_command.ts";
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { getBackendReport, initBackend, selfCheckBackend } from "./mod.ts";
import { chooseBackend, parseBackendName, type Probes } from "./_choose.ts";

Deno.test({
  name: "initBackend picks wasm here (llvmpipe is a fallback adapter), installs fixes, " +
    "is idempotent, JSON report",
  // requestAdapter may keep a GPU resource open in Deno; it is process-wide, not a test leak.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const r = await initBackend();
    assert.equal(r.backend, "wasm");
    assert.equal(tf.getBackend(), "wasm");
    assert.ok(r.fixes.length >= 3, `fixes: ${r.fixes}`);
    assert.ok(r.fixes.some((f) => f.startsWith("batchmatmul-grad")));
    assert.ok(r.fixes.some((f) => f.startsWith("gather-grad")));
    const gpu = r.tried.find((t) => t.name === "webgpu");
    assert.ok(gpu != null && !gpu.ok);
    assert.match(
      gpu.detail,
      /webgpu skipped: (fallback adapter \(llvmpipe|navigator\.gpu is absent|no adapter)/,
    );
    assert.match(r.reason, /^wasm: first backend that works; webgpu skipped/);
    assert.equal(r.simd, true);
    assert.equal(r.threads, 1);
    assert.equal(r.tfjsVersion, "4.22.0");
    assert.equal(r.denoVersion, Deno.version.deno);
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    assert.equal(await initBackend(), r);
    assert.equal(getBackendReport(), r);
    // The embedding gradient now works on wasm.
    const g = tf.tidy(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([1, 1, 3], "int32"))))(
        tf.ones([4, 2]),
      ).arraySync()
    );
    assert.deepEqual(g, [[0, 0], [2, 2], [0, 0], [1, 1]]);
  },
});

async function runWithEnv(
  value: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = `import { initBackend } from ${
    JSON.stringify(new URL("./mod.ts", import.meta.url).href)
  };
    const r = await initBackend({ prefer: "wasm" }); console.log(JSON.stringify(r));`;
  const out = await new Deno.Command(DENO, {
    args: [
      "eval",
      "--quiet",
      `--config=${new URL("../../deno.json", import.meta.url).pathname}`,
      code,
    ],
    env: { ROSEARCH_BACKEND: value },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test(
  "ROSEARCH_BACKEND=cpu overrides prefer; an unknown value fails listing the allowed names",
  async () => {
    const ok = await runWithEnv("cpu");
    assert.equal(ok.code, 0, ok.stderr);
    const line = ok.stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop()!;
    const r = JSON.parse(line);
    assert.equal(r.backend, "cpu");
    assert.equal(r.reason, "forced by ROSEARCH_BACKEND=cpu");
    assert.deepEqual(r.fixes, []);
    assert.deepEqual(r.tried.map((t: { name: string }) => t.name), ["cpu"]);
    const bad = await runWithEnv("tpu");
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /ROSEARCH_BACKEND: unknown backend 'tpu', allowed: webgpu, wasm, cpu/);
  },
);

Deno.test(
  "chooseBackend: order, prefer, forced failure, and a GPU that fails its self-check",
  async () => {
    const calls: string[] = [];
    const fake = (ok: Record<string, boolean>): Probes => {
      const probe = (name: string) => () => {
        calls.push(name);
        return Promise.resolve({
          ok: ok[name],
          detail: ok[name] ? `${name} ok` : `${name}: self-check failed`,
        });
      };
      return { webgpu: probe("webgpu"), wasm: probe("wasm"), cpu: probe("cpu") };
    };
    const a = await chooseBackend({ probes: fake({ webgpu: false, wasm: true, cpu: true }) });
    assert.equal(a.backend, "wasm");
    assert.deepEqual(calls.splice(0), ["webgpu", "wasm"]);
    assert.match(a.reason, /webgpu: self-check failed/);
    const b = await chooseBackend({
      prefer: "cpu",
      probes: fake({ webgpu: true, wasm: true, cpu: true }),
    });
    assert.equal(b.backend, "cpu");
    assert.deepEqual(calls.splice(0), ["cpu"]);
    await assert.rejects(
      chooseBackend({ forced: "webgpu", probes: fake({ webgpu: false, wasm: true, cpu: true }) }),
      /ROSEARCH_BACKEND=webgpu was requested but failed/,
    );
    assert.throws(() => parseBackendName("gpu", "test"), /allowed: webgpu, wasm, cpu/);
    assert.equal(parseBackendName(" WASM ", "test"), "wasm");
  },
);

Deno.test("self-check passes on wasm and rejects a deliberately wrong backend", async () => {
  await initBackend();
  const good = await selfCheckBackend("wasm");
  assert.ok(good.ok, good.detail);
  assert.equal(tf.getBackend(), "wasm", "self-check restores the active backend");

  // A cpu backend whose matmul adds 0.01 to every output.
  const factory = tf.findBackendFactory("cpu")!;
  tf.registerBackend("broken-matmul", factory as () => tf.KernelBackend);
  tf.copyRegisteredKernels("cpu", "broken-matmul");
  const cpuMatMul = tf.getKernel("BatchMatMul", "cpu");
  tf.unregisterKernel("BatchMatMul", "broken-matmul");
  tf.registerKernel({
    kernelName: "BatchMatMul",
    backendName: "broken-matmul",
    kernelFunc: (args) => {
      const out = cpuMatMul.kernelFunc(args) as tf.TensorInfo;
      const vals = (args.backend as tf.KernelBackend).readSync(out.dataId) as Float32Array;
      for (let i = 0; i < vals.length; i++) vals[i] += 0.01;
      return out;
    },
  });
  try {
    const bad = await selfCheckBackend("broken-matmul");
    assert.equal(bad.ok, false);
    assert.match(bad.detail, /self-check failed \(rel\. error matmul [0-9.e+-]+/);
    assert.equal(tf.getBackend(), "wasm");
  } finally {
    tf.removeBackend("broken-matmul");
  }
});

Deno.test("initBackend silences only the tfjs 'running in Node.js' banner", async () => {
  const out = await new Deno.Command(DENO, {
    args: ["run", "--allow-read=.", "--allow-env", "lib/backend/test_fixtures/_cpu_tensor.ts"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { ROSEARCH_BACKEND: "cpu" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  assert.match(text, /^cpu 1,2$/m);
  assert.doesNotMatch(text, /looks like you are running TensorFlow\.js in Node\.js/);
});
