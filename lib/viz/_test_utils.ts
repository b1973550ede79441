/**
 * Test helpers (imported only by *_test.ts): SVG snapshots through Deno 2.9's built-in
 * `t.assertSnapshot` (no std needed), and a small well-formedness check for generated SVG.
 *
 * Snapshots live in test/snapshots/viz/<test file>.snap. The SVG is stored with numbers rounded
 * to 2 decimals and one tag per line (readable diffs). After an intended change, refresh with
 * `deno task test:snapshots` (`--update-snapshots`, write access to test/snapshots only) and
 * review the diff.
 */
import assert from "node:assert/strict";
import { roundNumbers } from "./_serialize.ts";

export const SNAPSHOT_DIR = "../../test/snapshots/viz";

export function svgForSnapshot(svg: string): string {
  return roundNumbers(svg, 2).replace(/></g, ">\n<");
}

export async function assertSvgSnapshot(
  t: Deno.TestContext,
  svg: string,
  name?: string,
): Promise<void> {
  await t.assertSnapshot(svg, {
    dir: SNAPSHOT_DIR,
    serializer: svgForSnapshot,
    ...(name ? { name } : {}),
  });
}

/**
 * Throws unless `xml` is well-formed enough to load as a standalone SVG: one root `<svg>` with
 * the SVG namespace, balanced tags, no raw `<` or `&` in attribute values or text.
 */
export function assertWellFormedSvg(xml: string): void {
  assert.match(
    xml,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s>]/,
    "root must be <svg xmlns=…>",
  );
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    assert.doesNotMatch(
      text,
      /&(?!(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);)/i,
      `raw & in text near ${i}`,
    );
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    assert.ok(m, `malformed tag at ${lt}: ${xml.slice(lt, lt + 80)}`);
    const [whole, close, name, attrs, selfClose] = m;
    assert.doesNotMatch(
      attrs,
      /&(?!(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);)/i,
      `raw & in attributes of <${name}>`,
    );
    if (close) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClose) stack.push(name);
    i = lt + whole.length;
  }
  assert.deepEqual(stack, [], "unclosed elements");
}
