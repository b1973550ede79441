import assert from "node:assert/strict";
import { join } from "node:path";
import { readGitInfo } from "./_git.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);

function fakeRepo(files: Record<string, string>): string {
  const dir = Deno.makeTempDirSync({ prefix: "track_git_" });
  for (const [path, text] of Object.entries(files)) {
    Deno.mkdirSync(join(dir, path, ".."), { recursive: true });
    Deno.writeTextFileSync(join(dir, path), text);
  }
  Deno.mkdirSync(join(dir, "sub", "deeper"), { recursive: true });
  return dir;
}

Deno.test("readGitInfo follows HEAD to a loose ref, from a sub-folder", () => {
  const dir = fakeRepo({ ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": A + "\n" });
  assert.deepEqual(readGitInfo(join(dir, "sub", "deeper")), { commit: A, ref: "refs/heads/main" });
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("readGitInfo reads packed-refs, detached HEAD and a gitdir file", () => {
  const packed = fakeRepo({
    ".git/HEAD": "ref: refs/heads/dev\n",
    ".git/packed-refs": `# pack-refs with: peeled\n${A} refs/heads/main\n${B} refs/heads/dev\n`,
  });
  assert.deepEqual(readGitInfo(packed), { commit: B, ref: "refs/heads/dev" });
  const detached = fakeRepo({ ".git/HEAD": B + "\n" });
  assert.deepEqual(readGitInfo(detached), { commit: B, ref: null });
  const worktree = fakeRepo({
    ".git": "gitdir: real/.git/worktrees/w\n",
    "real/.git/worktrees/w/HEAD": "ref: refs/heads/feature\n",
    "real/.git/worktrees/w/commondir": "../..\n",
    "real/.git/refs/heads/feature": A,
  });
  assert.deepEqual(readGitInfo(worktree), { commit: A, ref: "refs/heads/feature" });
  const broken = fakeRepo({ ".git/HEAD": "ref: refs/heads/gone\n" });
  assert.deepEqual(readGitInfo(broken), { commit: "unknown", ref: "refs/heads/gone" });
  for (const d of [packed, detached, worktree, broken]) Deno.removeSync(d, { recursive: true });
});

Deno.test("readGitInfo outside any repository is unknown", () => {
  const dir = Deno.makeTempDirSync({ prefix: "track_nogit_" });
  assert.deepEqual(readGitInfo(dir), { commit: "unknown", ref: null }); // no .git above /tmp
  Deno.removeSync(dir);
});

Deno.test("readGitInfo on this project gives the commit of its HEAD", () => {
  const root = new URL("../../", import.meta.url).pathname;
  const info = readGitInfo(root);
  assert.match(info.commit, /^[0-9a-f]{40}$/);
  if (info.ref) {
    const loose = join(root, ".git", info.ref);
    const packed = Deno.readTextFileSync(join(root, ".git", "HEAD")).trim();
    assert.ok(packed.startsWith("ref: "));
    try {
      assert.equal(info.commit, Deno.readTextFileSync(loose).trim());
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e; // packed ref: checked by the fake repos
    }
  }
});
