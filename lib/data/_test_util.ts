/** Test helper: a temporary data root holding the given files. */
import { dirname, join } from "node:path";

export async function tempDataRoot(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "lib_data_test_" });
  for (const [rel, content] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(root, rel)), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(join(root, rel), content);
    else await Deno.writeFile(join(root, rel), content);
  }
  return root;
}
