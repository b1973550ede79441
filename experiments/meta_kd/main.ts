/**
 * `deno task meta-kd`: Meta-KD against its baselines on the four Amazon review domains (issue 19;
 * lib/pipeline meta_kd.ts has the method and what is ours). Every teacher is fine-tuned from the
 * project's SST-2 teacher and every student starts from the same DistilBERT-style copy of it;
 * per domain, the same training examples, epochs and seed for every student:
 * - Meta-KD: the meta-teacher (all domains, CE weighted by transferability, domain-adversarial
 *   loss) distilled with attention + hidden + soft-CE losses weighted by (1 + w) x lambda;
 * - per-domain KD: a teacher on the domain alone, the same losses unweighted;
 * - all-domain KD: one unweighted teacher on all domains, the same losses unweighted;
 * - no KD: the student on the domain's labels alone;
 * - unseen domain: the meta-teacher trained WITHOUT the domain, then Meta-KD into its student.
 * Jobs run on two Deno Workers and each is a record of the run (runs/meta_kd/<id>/): `--resume
 * RUN_DIR` redoes nothing finished.
 *
 *   deno task meta-kd [--teacher-epochs 1] [--student-epochs 2] [--no-unseen] [--quick]
 *                     [--resume RUN_DIR] [--out DIR]
 *
 * `--quick` (and ROSEARCH_BUDGET=ci): three domains, 48 training and 40 test reviews each, one
 * epoch: a smoke test of every path, not a result.
 */
import { createWorkerPool, initBackend } from "../../lib/backend/mod.ts";
import { AMAZON_DOMAINS, type AmazonDomain } from "../../lib/data/mod.ts";
import {
  META_KD,
  type MetaKdCommon,
  metaKdReport,
  type MetaStudentResult,
  type MetaTeacherResult,
  PIPELINE_WORKER,
  type PipelineTasks,
} from "../../lib/pipeline/mod.ts";
import { DEFAULT_MLM_DIR, DEFAULT_TEACHER_DIR, relativeToProject } from "../../lib/project/mod.ts";
import { recordedJobs, type Run } from "../../lib/track/mod.ts";
import { poolProgress } from "../_shared/pool_progress.ts";
import { positiveInt as int } from "../_shared/project.ts";
import { openExperiment } from "../_shared/experiment.ts";

const USAGE = "deno task meta-kd [--teacher-epochs N] [--student-epochs N] [--no-unseen] " +
  "[--quick] [--resume RUN_DIR] [--out DIR]";

export interface MetaKdParams {
  domains: AmazonDomain[];
  teacherEpochs: number;
  studentEpochs: number;
  unseen: boolean;
  trainPerDomain?: number;
  testPerDomain?: number;
  seed: number;
  initDir: string;
  representationDir: string;
  out: string;
}

function openRun(): Promise<{ run: Run; p: MetaKdParams }> {
  return openExperiment("meta_kd", USAGE, {
    "teacher-epochs": { type: "string" },
    "student-epochs": { type: "string" },
    "no-unseen": { type: "boolean", default: false },
  }, (a) => {
    const values = a.values as Record<string, string | undefined> & { "no-unseen": boolean };
    const quick = a.quick;
    const p: MetaKdParams = {
      domains: quick ? ["books", "dvd", "electronics"] : [...AMAZON_DOMAINS],
      teacherEpochs: values["teacher-epochs"] ? int("teacher-epochs", values["teacher-epochs"]) : 1,
      studentEpochs: values["student-epochs"]
        ? int("student-epochs", values["student-epochs"])
        : quick
        ? 1
        : 2,
      unseen: !values["no-unseen"],
      ...(quick ? { trainPerDomain: 48, testPerDomain: 40 } : {}),
      seed: 42,
      initDir: relativeToProject(DEFAULT_TEACHER_DIR),
      representationDir: relativeToProject(DEFAULT_MLM_DIR),
      out: a.out ?? (quick ? "runs/meta_kd_quick" : "experiments/meta_kd/results"),
    };
    return p;
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await initBackend({ prefer: "wasm" });
  const { run, p } = await openRun();
  const job = recordedJobs(run);
  console.log(
    `Meta-KD on ${p.domains.join(", ")}: teachers ${p.teacherEpochs} epoch(s), students ` +
      `${p.studentEpochs}${p.unseen ? ", unseen-domain rows" : ""}\n  run ${
        relativeToProject(run.dir)
      }`,
  );
  const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: 2, name: "meta-kd" });
  const progress = poolProgress("meta-kd", pool);
  const common = (epochs: number, learningRate: number, outDir: string): MetaKdCommon => ({
    initDir: p.initDir,
    epochs,
    learningRate,
    batchSize: META_KD.batchSize,
    maxLength: META_KD.maxLength,
    seed: p.seed,
    outDir,
    ...(p.trainPerDomain ? { trainPerDomain: p.trainPerDomain } : {}),
    ...(p.testPerDomain ? { testPerDomain: p.testPerDomain } : {}),
  });
  const log = (what: string, r: { seconds: number; steps: number; validationAccuracy: number }) =>
    console.log(
      `  ${what.padEnd(30)} ${r.steps} steps, dev ${(100 * r.validationAccuracy).toFixed(1)}% ` +
        `(${r.seconds.toFixed(0)} s)`,
    );
  try {
    const teacherJobs = new Map<string, Promise<MetaTeacherResult>>();
    const teacher = (name: string, domains: AmazonDomain[], meta: boolean) => {
      if (!teacherJobs.has(name)) {
        const multi = meta && domains.length >= 2;
        teacherJobs.set(
          name,
          job(`teacher:${name}`, () =>
            pool.run("meta_kd_teacher", {
              ...common(p.teacherEpochs, META_KD.teacherLearningRate, teacherDir(name)),
              name,
              domains,
              weighted: multi,
              adversarial: multi,
              representationDir: p.representationDir,
            })).then((r) => (log(`teacher ${name}`, r), r)),
        );
      }
      return teacherJobs.get(name)!;
    };
    const teacherDir = (name: string) => run.artifactPath(`teachers/${name.replace(":", "_")}`);
    const reference = job("eval:init", () =>
      pool.run("meta_kd_eval", {
        modelDir: p.initDir,
        maxLength: META_KD.maxLength,
        ...(p.testPerDomain ? { testPerDomain: p.testPerDomain } : {}),
      }));
    const student = (
      d: AmazonDomain,
      method: string,
      teacherName: string | null,
      weights: () => Promise<number[] | undefined>,
    ): Promise<MetaStudentResult> =>
      job(`student:${d}:${method}`, async () => {
        if (teacherName) await teacherJobs.get(teacherName);
        const transferability = await weights();
        return pool.run("meta_kd_student", {
          ...common(
            p.studentEpochs,
            META_KD.studentLearningRate,
            run.artifactPath(`students/${d}/${method}`),
          ),
          name: method,
          domain: d,
          teacherDir: teacherName ? teacherDir(teacherName) : null,
          weighting: transferability ? "meta" : "none",
          ...(transferability ? { transferability } : {}),
        });
      }).then((r) => (log(`student ${d} ${method}`, r), r));
    // teachers first (the big jobs), in an order that keeps both workers busy
    teacher("meta", p.domains, true);
    teacher("mix", p.domains, false);
    for (const d of p.domains) teacher(`single:${d}`, [d], false);
    if (p.unseen) {
      for (const d of p.domains) {
        teacher(`without:${d}`, p.domains.filter((x) => x !== d), true);
      }
    }
    const metaWeights = (d: AmazonDomain) => async () =>
      (await teacherJobs.get("meta")!).transferability!.weights[d];
    const none = () => Promise.resolve(undefined);
    const students = await Promise.all(p.domains.flatMap((d) => [
      student(d, "meta-kd", "meta", metaWeights(d)),
      student(d, "single-kd", `single:${d}`, none),
      student(d, "mix-kd", "mix", none),
      student(d, "no-kd", null, none),
      ...(p.unseen ? [student(d, "unseen-meta-kd", `without:${d}`, metaWeights(d))] : []),
    ]));
    const teachers = await Promise.all(teacherJobs.values());
    const report = metaKdReport({
      domains: p.domains,
      teachers,
      students,
      reference: await reference,
    });
    const minutes = ((performance.now() - t0) / 60000).toFixed(1);
    const workerMinutes = ([...teachers, ...students].reduce((a, r) => a + r.seconds, 0) / 60)
      .toFixed(1);
    const header = `# Meta-KD vs its baselines on the four Amazon review domains\n\n` +
      `Command: \`deno task meta-kd\` (run ${relativeToProject(run.dir)}, started ` +
      `${run.info.start.slice(0, 16).replace("T", " ")} UTC; ${workerMinutes} min of worker ` +
      `time on 2 workers; this invocation ${minutes} min). Teachers: fine-tuned from the ` +
      `project's SST-2 teacher (4 x 256, ${p.initDir}) for ${p.teacherEpochs} epoch(s) at peak ` +
      `lr ${META_KD.teacherLearningRate}; students: 2 x 256 with a rank-16 word table, every one ` +
      `initialised from the same SST-2 teacher (DistilBERT-style), ${p.studentEpochs} epochs ` +
      `at peak lr ${META_KD.studentLearningRate} on the domain's ${
        p.trainPerDomain ?? 1400
      } training reviews, the best of its epochs on the domain's dev split; batch ` +
      `${META_KD.batchSize}, the first ${META_KD.maxLength} WordPiece tokens of each review, ` +
      `seed ${p.seed}. Transferability from the project's masked LM (${p.representationDir}).`;
    const md = `${header}\n\n${report.markdown}`;
    await Deno.mkdir(`${p.out}/charts`, { recursive: true });
    await Deno.writeTextFile(`${p.out}/table.md`, md);
    for (const [name, svg] of Object.entries(report.charts)) {
      await Deno.writeTextFile(`${p.out}/charts/${name}`, svg);
    }
    await Deno.writeTextFile(
      `${p.out}/table.json`,
      JSON.stringify(
        {
          params: p,
          run: relativeToProject(run.dir),
          rows: report.rows,
          comparisons: report.comparisons,
          pooled: report.pooled,
          teachers: report.teachers,
          similarity: report.similarity,
        },
        null,
        1,
      ) + "\n",
    );
    run.finish("finished");
    console.log(`\n${md}\nwrote ${p.out}/table.md`);
  } finally {
    progress.done();
    await pool.close();
  }
}

if (import.meta.main) await main();
