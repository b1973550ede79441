/**
 * The current git commit, read from `.git` files without running git (so tasks need no
 * --allow-run). Handles a `.git` directory or a `.git` file (`gitdir: ...`, worktrees and
 * submodules), symbolic HEAD through loose refs or `packed-refs`, and a detached HEAD.
 * It cannot tell whether the working tree is dirty: that needs git itself.
 */
import { dirname, join, resolve } from "node:path";

export interface GitInfo {
  /** 40-hex commit, or "unknown" when there is no repository or the ref cannot be resolved. */
  commit: string;
  /** Branch ref such as "refs/heads/main", or null for a detached HEAD / no repository. */
  ref: string | null;
}

const HEX40 = /^[0-9a-f]{40}$/;

function readText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/** Finds the git directory (and the common directory holding refs) at or above `from`. */
function findGitDirs(from: string): { gitDir: string; commonDir: string } | null {
  let dir = resolve(from);
  while (true) {
    const dotGit = join(dir, ".git");
    let stat: Deno.FileInfo | null = null;
    try {
      stat = Deno.statSync(dotGit);
    } catch { /* not here */ }
    if (stat?.isDirectory) return { gitDir: dotGit, commonDir: dotGit };
    if (stat?.isFile) {
      const m = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? "");
      if (m) {
        const gitDir = resolve(dir, m[1].trim());
        const common = readText(join(gitDir, "commondir"))?.trim();
        return { gitDir, commonDir: common ? resolve(gitDir, common) : gitDir };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function resolveRef(dirs: { gitDir: string; commonDir: string }, ref: string): string | null {
  for (const base of [dirs.gitDir, dirs.commonDir]) {
    const loose = readText(join(base, ...ref.split("/")))?.trim();
    if (loose && HEX40.test(loose)) return loose;
  }
  for (const line of (readText(join(dirs.commonDir, "packed-refs")) ?? "").split("\n")) {
    const [sha, name] = line.trim().split(" ");
    if (name === ref && HEX40.test(sha)) return sha;
  }
  return null;
}

/** Reads HEAD of the repository containing `from` (default: the working directory). */
export function readGitInfo(from: string = Deno.cwd()): GitInfo {
  const dirs = findGitDirs(from);
  if (!dirs) return { commit: "unknown", ref: null };
  const head = readText(join(dirs.gitDir, "HEAD"))?.trim() ?? "";
  if (HEX40.test(head)) return { commit: head, ref: null };
  const m = /^ref:\s*(\S+)$/.exec(head);
  if (!m) return { commit: "unknown", ref: null };
  return { commit: resolveRef(dirs, m[1]) ?? "unknown", ref: m[1] };
}
