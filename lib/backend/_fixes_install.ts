/** Installs/uninstalls every wasm fix (ALL_FIXES); idempotent. */
import { ALL_FIXES } from "./_fixes.ts";

/** Installs the wasm kernel and gradient fixes; returns the names of the installed fixes. */
export function installWasmFixes(): string[] {
  for (const f of ALL_FIXES) f.install();
  return ALL_FIXES.filter((f) => f.installed).map((f) => f.name);
}

/** Puts tfjs's stock kernels and gradients back (benchmarks and tests). */
export function uninstallWasmFixes(): void {
  for (const f of [...ALL_FIXES].reverse()) f.uninstall();
}

/** Name, description and state of every fix. */
export function listFixes(): { name: string; description: string; installed: boolean }[] {
  return ALL_FIXES.map((f) => ({
    name: f.name,
    description: f.description,
    installed: f.installed,
  }));
}
