import assert from "node:assert/strict";
import { escapeHtml } from "./escape_html.ts";

Deno.test("escapeHtml escapes a script tag", () => {
  assert.equal(
    escapeHtml("<script>alert(1)</script>"),
    "&lt;script&gt;alert(1)&lt;/script&gt;",
  );
});

Deno.test("escapeHtml escapes quotes and ampersands, ampersand first", () => {
  assert.equal(escapeHtml(`a "b" & 'c'`), "a &quot;b&quot; &amp; &#39;c&#39;");
  assert.equal(escapeHtml("&amp;"), "&amp;amp;");
});

Deno.test("escapeHtml stringifies non-strings and empties null", () => {
  assert.equal(escapeHtml(3.5), "3.5");
  assert.equal(escapeHtml(null), "");
  assert.equal(escapeHtml(undefined), "");
  assert.equal(escapeHtml("plain text"), "plain text");
});

Deno.test("escapeHtml drops XML-invalid control characters but keeps tabs and newlines", () => {
  assert.equal(escapeHtml("a\u0000b\tc\nd"), "ab\tc\nd");
});
