/**
 * Bundles the report's client script (`client/report_client.ts`) with esbuild into one minified
 * IIFE string for an inline `<script>`.
 *
 * esbuild runs its native binary as a child process (npm package `@esbuild/<platform>`, installed
 * by `deno install` / on first use through the lockfile; no install script needs approving). Deno
 * permissions this needs, measured: `--allow-read` of the project (the script and esbuild's
 * package), `--allow-run=<the binary>` (on Linux x64:
 * `node_modules/.deno/@esbuild+linux-x64@0.25.12/node_modules/@esbuild/linux-x64/bin/esbuild`),
 * and unrestricted `--allow-env`: esbuild reads `ESBUILD_BINARY_PATH` and
 * `ESBUILD_WORKER_THREADS`, and Node's `child_process.spawn` (Deno's node compatibility) copies the
 * whole environment to the child. Without the run permission esbuild fails with "Cannot read
 * properties of undefined (reading 'unref')"; `bundleClientScript` turns that into a clear error.
 */
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";

export const CLIENT_ENTRY = fileURLToPath(new URL("./client/report_client.ts", import.meta.url));

/** The client script, bundled and minified (esbuild's service is stopped afterwards). */
export async function bundleClientScript(entry: string = CLIENT_ENTRY): Promise<string> {
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "iife",
      minify: true,
      target: "es2020",
      platform: "browser",
      logLevel: "silent",
    });
    const out = result.outputFiles?.[0]?.text;
    if (!out) throw new Error("esbuild returned no output file");
    // An inline script must not contain "</script" (it would end the element early).
    return out.replace(/<\/script/gi, "<\\/script");
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const hint =
      /unref|NotCapable|Requires run access|Requires env access|PermissionDenied/i.test(msg)
        ? " (esbuild spawns its native binary: run with --allow-env and " +
          "--allow-run=<the @esbuild/<platform> binary " +
          "under node_modules/.deno>; see experiments/report/bundle.ts)"
        : "";
    throw new Error(`Cannot bundle the report script ${entry} with esbuild: ${msg}${hint}`);
  } finally {
    await esbuild.stop();
  }
}
