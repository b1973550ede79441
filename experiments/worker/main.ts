/**
 * `deno task worker --redis URL [--concurrency N] [--queue NAME] [--lock-seconds S]`: a queue
 * worker for `deno task rosearch --engine bullmq` on any machine with a checkout of this
 * repository (lib/pipeline `runQueueWorker`). It reads data and the teacher from its own checkout
 * and refuses jobs whose teacher sha256 or teacher-cache keys differ from the coordinator's.
 * SIGINT/SIGTERM: closes the worker (BullMQ waits for the running jobs to finish); a worker
 * killed outright has its job handed on by BullMQ's stalled-job check once the lock expires.
 */
import { parseCli, UsageError } from "../_shared/cli.ts";
import { z } from "zod";
import { initBackend } from "../../lib/backend/mod.ts";
import { DEFAULT_QUEUE, runQueueWorker } from "../../lib/pipeline/queue.ts";
import { checkRedis, DEFAULT_REDIS_URL, redactUrl } from "../../lib/queue/mod.ts";

const HELP = `deno task worker [--redis URL] [--concurrency N] [--queue NAME] [--lock-seconds S]
  --redis         redis://[user:pass@]host[:port][/db] or rediss://… (TLS)
                  default ${DEFAULT_REDIS_URL}
  --concurrency   candidates evaluated at once (one Deno Worker, i.e. one core, each); default 1
  --queue         queue name; default "${DEFAULT_QUEUE}"
  --lock-seconds  job lock: a killed worker's job moves on after about this long; default 30`;

const FlagsSchema = z.object({
  redis: z.string().min(1).default(DEFAULT_REDIS_URL),
  concurrency: z.coerce.number().int().min(1).max(64).default(1),
  queue: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").default(
    DEFAULT_QUEUE,
  ),
  "lock-seconds": z.coerce.number().min(1).max(3600).default(30),
  help: z.boolean().default(false),
});

async function main() {
  const { values } = parseCli({
    task: "worker",
    usage: HELP,
    options: {
      redis: { type: "string" },
      concurrency: { type: "string" },
      queue: { type: "string" },
      "lock-seconds": { type: "string" },
    },
  });
  const { debug: _, ...given } = values;
  const r = FlagsSchema.safeParse(given);
  if (!r.success) {
    throw new UsageError(
      r.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const flags = r.data;
  await checkRedis(flags.redis);
  await initBackend();
  const worker = runQueueWorker({
    url: flags.redis,
    queueName: flags.queue,
    concurrency: flags.concurrency,
    lockMs: flags["lock-seconds"] * 1000,
  });
  await worker.ready();
  console.log(
    `worker: taking "${flags.queue}" jobs from ${redactUrl(flags.redis)}, ` +
      `${flags.concurrency} at a time (pid ${Deno.pid})`,
  );
  const stop = () => {
    console.log(`worker: stopping after ${worker.done()} jobs`);
    void worker.close().finally(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}

if (import.meta.main) await main();
