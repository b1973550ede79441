/**
 * One replaceable gradient or kernel ("fix"): installed and uninstalled as a unit, so a
 * benchmark can measure stock and fixed gradients in the same process and tests can compare
 * a fixed gradient with the stock one.
 */
import * as tf from "@tensorflow/tfjs";

export interface Fix {
  /** Stable name listed in BackendReport.fixes, e.g. "gather-grad:wasm-unsorted-segment-sum". */
  readonly name: string;
  /** One line: what it replaces and why. */
  readonly description: string;
  install(): void;
  uninstall(): void;
  readonly installed: boolean;
}

/** A fix that swaps tfjs gradient configs; `uninstall` restores the configs it replaced. */
export function gradientFix(
  name: string,
  description: string,
  configs: () => tf.GradConfig[],
): Fix {
  let saved: { kernelName: string; original: tf.GradConfig | null }[] | null = null;
  return {
    name,
    description,
    get installed() {
      return saved != null;
    },
    install() {
      if (saved != null) return;
      const list = configs();
      saved = list.map((c) => ({
        kernelName: c.kernelName,
        original: tf.getGradient(c.kernelName),
      }));
      for (const c of list) {
        if (tf.getGradient(c.kernelName) != null) tf.unregisterGradient(c.kernelName);
        tf.registerGradient(c);
      }
    },
    uninstall() {
      if (saved == null) return;
      for (const { kernelName, original } of saved) {
        if (tf.getGradient(kernelName) != null) tf.unregisterGradient(kernelName);
        if (original != null) tf.registerGradient(original);
      }
      saved = null;
    },
  };
}

/** A fix that registers kernels for one backend; `uninstall` restores what was there. */
export function kernelFix(
  name: string,
  description: string,
  configs: () => tf.KernelConfig[],
): Fix {
  let saved: { config: tf.KernelConfig; original: tf.KernelConfig | undefined }[] | null = null;
  return {
    name,
    description,
    get installed() {
      return saved != null;
    },
    install() {
      if (saved != null) return;
      saved = configs().map((config) => ({
        config,
        original: tf.getKernel(config.kernelName, config.backendName),
      }));
      for (const { config, original } of saved) {
        if (original != null) tf.unregisterKernel(config.kernelName, config.backendName);
        tf.registerKernel(config);
      }
    },
    uninstall() {
      if (saved == null) return;
      for (const { config, original } of saved) {
        tf.unregisterKernel(config.kernelName, config.backendName);
        if (original != null) tf.registerKernel(original);
      }
      saved = null;
    },
  };
}

/** Several fixes installed and uninstalled together under one name. */
export function combinedFix(name: string, description: string, parts: readonly Fix[]): Fix {
  return {
    name,
    description,
    get installed() {
      return parts.every((p) => p.installed);
    },
    install() {
      for (const p of parts) p.install();
    },
    uninstall() {
      for (const p of [...parts].reverse()) p.uninstall();
    },
  };
}
