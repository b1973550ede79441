/**
 * Redis connections for the job queue (BullMQ 6 takes ioredis instances as `connection`).
 *
 * URLs: `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. The default is
 * `redis://127.0.0.1:6379` (loopback: a Redis reachable from other machines should have a
 * password, and over an untrusted network TLS). A connection retries with capped exponential
 * backoff (0.2 s doubling to 10 s) for as long as Redis is down, printing one line per failed
 * attempt (what, where, the next retry), so an outage is never a silent hang; commands wait
 * meanwhile (`maxRetriesPerRequest: null`, which BullMQ requires) and go through once Redis is
 * back. The caller decides when to give up (lib/queue `queueEngine`'s `giveUpMs`).
 */
import { Redis, type RedisOptions } from "ioredis";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** The parts of a Redis URL (the password is never printed: see `redactUrl`). */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
}

/** Parses and validates a Redis URL; the error names the URL (without its password). */
export function parseRedisUrl(url: string = DEFAULT_REDIS_URL): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(
      `--redis ${redactUrl(url)}: not a URL; expected redis://[user:pass@]host[:port][/db] ` +
        `or rediss://… for TLS`,
    );
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new TypeError(
      `--redis ${redactUrl(url)}: scheme ${u.protocol} is not redis: or rediss: (TLS)`,
    );
  }
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) {
    throw new TypeError(`--redis ${redactUrl(url)}: database "${dbText}" is not an integer >= 0`);
  }
  return {
    host: u.hostname || "127.0.0.1",
    port,
    db,
    tls: u.protocol === "rediss:",
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** The URL with its password replaced by `***` (for messages and records). */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, "$1***@");
}

/** Backoff of reconnection attempt `n` (1-based), in ms: 200, 400, 800, … capped at 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 200 * 2 ** Math.max(0, attempt - 1));
}

export interface ConnectOptions {
  /** Shown in messages ("coordinator", "worker 2"). */
  name?: string;
  /** Where outage lines go (default console.error). */
  log?: (line: string) => void;
}

/** A new ioredis connection that BullMQ can use, with loud, backed-off reconnection. */
export function connectRedis(url: string = DEFAULT_REDIS_URL, options: ConnectOptions = {}): Redis {
  const t = parseRedisUrl(url);
  const log = options.log ?? ((l: string) => console.error(l));
  const who = options.name ? `${options.name}: ` : "";
  const where = `${t.tls ? "rediss" : "redis"}://${t.host}:${t.port}`;
  let lastError = "";
  const redisOptions: RedisOptions = {
    host: t.host,
    port: t.port,
    db: t.db,
    username: t.username,
    password: t.password,
    ...(t.tls ? { tls: { servername: t.host } } : {}),
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => {
      const wait = backoffMs(attempt);
      log(
        `${who}Redis at ${where} unreachable${lastError ? ` (${lastError})` : ""}; ` +
          `retry ${attempt} in ${(wait / 1000).toFixed(1)} s`,
      );
      return wait;
    },
  };
  const redis = new Redis(redisOptions);
  redis.on("error", (e: Error & { code?: string }) => {
    lastError = e.code ?? e.message;
  });
  return redis;
}

/**
 * Checks that Redis answers PING within `timeoutMs`; otherwise throws one clear error naming
 * the URL (without password) and how to start a local Redis.
 */
export async function checkRedis(url: string, timeoutMs = 5000): Promise<void> {
  const t = parseRedisUrl(url);
  const redis = new Redis({
    host: t.host,
    port: t.port,
    db: t.db,
    username: t.username,
    password: t.password,
    ...(t.tls ? { tls: { servername: t.host } } : {}),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError = "";
  redis.on("error", (e: Error & { code?: string }) => {
    lastError = e.code ?? e.message;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      }),
    ]);
  } catch (e) {
    const why = lastError || (e instanceof Error ? e.message : String(e));
    throw new Error(
      `cannot reach Redis at ${redactUrl(url)} within ${timeoutMs / 1000} s (${why}); start ` +
        `one (for example \`redis-server --port ${t.port} --bind 127.0.0.1\`) or pass ` +
        `--redis URL`,
    );
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
