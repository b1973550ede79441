/**
 * The Deno executable for tests that start a subprocess (kill-and-resume tests, tasks run with
 * their exact permissions). It is called by name, `deno`, resolved through PATH, so the test task
 * can grant `--allow-run=deno` instead of an unrestricted `--allow-run`: `Deno.execPath()` is the
 * real binary path, which differs between `npm i -g deno` and `npx deno` installs.
 * (`npx -y deno@2.9.6 task test` puts that deno on the PATH of the tasks it runs.)
 */
export const DENO = "deno";
