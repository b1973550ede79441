/**
 * A real redis-server for tests and benchmarks (Debian's `redis-server`, installed by
 * .ci/run): started on
 * 127.0.0.1 at a free port, without persistence (it writes no file); `stop()` kills it.
 * No Redis binary is a test failure with the install command, not a skip.
 */
export interface LocalRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops and starts the server on the same port (its data is lost: no persistence). */
  restart(downMs?: number): Promise<void>;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      if (Date.now() > until) throw new Error(`redis-server did not listen on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startLocalRedis(): Promise<LocalRedis> {
  const port = freePort();
  let child: Deno.ChildProcess | null = null;
  const start = async () => {
    try {
      child = new Deno.Command("redis-server", {
        args: [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no",
        ],
        stdout: "null",
        stderr: "null",
      }).spawn();
    } catch (e) {
      throw new Error(
        `redis-server not found (${e instanceof Error ? e.message : e}); install it with ` +
          "`apt-get install redis-server` (.ci/run does)",
      );
    }
    await waitForPort(port);
  };
  const stop = async () => {
    const c = child as Deno.ChildProcess | null;
    if (!c) return;
    child = null;
    try {
      c.kill("SIGKILL");
    } catch { /* gone */ }
    await c.status;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stop();
    },
    restart: async (downMs = 0) => {
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
  };
}
