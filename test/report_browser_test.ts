/**
 * End-to-end test of `deno task report` in a real browser: builds a small fixture run (lib/track)
 * whose data carries markup and scripts (`<script>alert(1)</script>`, `<b>markup</b>`, an
 * attribute break-out, an SVG chart with a script inside), runs the real task on it (a `deno`
 * subprocess, so the task's own permissions are exercised), opens the page in headless Chromium
 * (Debian's /usr/bin/chromium, or $CHROMIUM_PATH) driven through the DevTools protocol over a
 * WebSocket (`_cdp` below) and checks:
 * - the bundled script ran (`<html data-report-script="ready">`), nothing from the data ran
 *   (`window.__pwned` undefined, no dialog), the console has no errors;
 * - the malicious sentence is shown as literal text, with no element made from it;
 * - the charts rendered (inline SVGs and embedded chart images with a non-zero size);
 * - sorting and hiding work;
 * and saves a full-page screenshot to runs/report_screenshot.png.
 *
 * Skipped (with a warning on stderr) only when Chromium is not installed; CI installs it.
 * Permissions beyond the test task's usual ones: `--allow-run=/usr/bin/chromium` (the launch) and
 * `--allow-net=127.0.0.1` (the DevTools WebSocket). Why not playwright-core: under Deno it probes
 * /proc (`/proc/sys/fs/binfmt_misc/WSLInterop`), which Deno only allows with --allow-all.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createRun } from "../lib/track/mod.ts";
import { DEFAULT_SEARCH_SPACE, sampleGenome } from "../lib/search_space/mod.ts";
import { Prng } from "../lib/random/mod.ts";
import { lineChart } from "../lib/viz/mod.ts";
import { DENO } from "./deno_command.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CHROMIUM = (() => {
  try {
    return Deno.env.get("CHROMIUM_PATH") || "/usr/bin/chromium";
  } catch {
    return "/usr/bin/chromium";
  }
})();
/**
 * "installed" when `CHROMIUM --version` runs, "missing" when there is no such file, "no-permission"
 * when the test runs without the run permission for it (a setup error, reported as a failure).
 */
const status: "installed" | "missing" | "no-permission" = (() => {
  try {
    new Deno.Command(CHROMIUM, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync();
    return "installed";
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "missing";
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return "no-permission";
    }
    throw e;
  }
})();
const installed = status !== "missing";
if (!installed) {
  console.warn(
    `report_browser_test: SKIPPED, Chromium not found at ${CHROMIUM} ` +
      "(apt-get install chromium, or set CHROMIUM_PATH)",
  );
}

const EVIL_SENTENCE = "a <script>alert(1)</script> film with <b>markup</b> inside";
const EVIL_PERTURBED = "a <script>alert(1)</script> movie with <b>markup</b> inside";

async function fixtureRun(root: string): Promise<string> {
  const run = await createRun("report_fixture", {
    root,
    seed: 1,
    params: { note: "<b>markup</b>", evil: "<script>window.__pwned = 'params'</script>" },
  });
  for (let step = 1; step <= 12; step++) {
    run.logMetric("train_loss", 1 / step, { step });
    if (step % 4 === 0) {
      run.logMetric("accuracy", 0.5 + step / 40, { step, context: { split: "dev" } });
    }
  }
  const prng = Prng.fromSeed(3);
  const names = ["alpha", "<img src=x onerror=\"window.__pwned='name'\">", "gamma", "delta"];
  names.forEach((name, i) => {
    run.appendRecord({
      key: `cand-${i}`,
      kind: "candidate",
      status: "ok",
      id: i,
      name,
      hash: `hash${i}`,
      origin: i < 2 ? "random" : "mutation",
      evaluation: i + 1,
      genome: sampleGenome(DEFAULT_SEARCH_SPACE, prng),
      fitness: [1.1, 0.9, 1.3, 1.0][i],
      metrics: {
        cleanAccuracy: 0.8 + i / 100,
        robustness: 0.3 + i / 20,
        compression: 4 + i,
        params: 2e6 - i * 1e5,
      },
    });
  });
  const base = {
    groundTruth: 1,
    originalOutput: [0.2, 0.8],
    numQueries: 12,
    numWords: 8,
    recipe: "textfooler",
  };
  run.appendRecord({
    ...base,
    key: "ex-0",
    index: 0,
    resultType: "SUCCEEDED",
    originalText: EVIL_SENTENCE,
    perturbedText: EVIL_PERTURBED,
    perturbedOutput: [0.7, 0.3],
    numWordsChanged: 1,
    perturbedWordPercent: 12.5,
    modifiedIndices: [3],
  });
  run.appendRecord({
    ...base,
    key: "ex-1",
    index: 1,
    resultType: "FAILED",
    originalText: `quote " break ' out onmouseover="window.__pwned='attr'" & more`,
    perturbedText: `quote " break ' out onmouseover="window.__pwned='attr'" & more`,
    perturbedOutput: [0.3, 0.7],
    numWordsChanged: 0,
    perturbedWordPercent: 0,
    modifiedIndices: [],
  });
  Deno.writeTextFileSync(
    run.chartPath("evil.svg"),
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">` +
      `<script>window.__pwned='svg'</script>` +
      `<rect width="120" height="60" fill="#4269d0"/></svg>`,
  );
  Deno.writeTextFileSync(
    run.chartPath("loss.svg"),
    lineChart([1, 2, 3].map((step) => ({ step, loss: 1 / step })), {
      x: "step",
      y: "loss",
      title: "<i>loss</i>",
    }).svg,
  );
  run.finish("finished", { best: "<i>gamma</i>" });
  return run.dir;
}

Deno.test({
  name: installed
    ? "report: renders safely in Chromium"
    : `report: renders safely in Chromium (SKIPPED: no Chromium at ${CHROMIUM})`,
  ignore: !installed,
  async fn() {
    assert.notEqual(
      status,
      "no-permission",
      `run permission for ${CHROMIUM} is missing: the test task needs --allow-run=...,${CHROMIUM}`,
    );
    assert.equal(
      Deno.permissions.querySync({ name: "net", host: "127.0.0.1" }).state,
      "granted",
      "net permission for 127.0.0.1 is missing (the DevTools WebSocket): " +
        "the test task needs --allow-net=127.0.0.1",
    );
    const root = `${ROOT}runs/_test_report`;
    const dir = await fixtureRun(root);
    try {
      const out = await new Deno.Command(DENO, {
        args: ["task", "report", dir],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.ok(out.success, `deno task report failed:\n${log}`);
      const html = Deno.readTextFileSync(`${dir}/report.html`);
      assert.ok(
        !html.includes("<script>alert(1)</script>"),
        "the sentence's script tag must be escaped",
      );
      assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
      assert.equal(
        html.match(/<script/g)?.length,
        1,
        "exactly one script element: the bundled one",
      );
      assert.ok(!/src="https?:|href="https?:/.test(html), "no external resources");

      const browser = await launchChromium(CHROMIUM);
      try {
        const page = await browser.newPage({ width: 1280, height: 900 });
        await page.goto(`file://${dir}/report.html`);
        const { errors, dialogs } = page;

        assert.equal(
          await page.evaluate("document.documentElement.dataset.reportScript"),
          "ready",
          "the bundled script ran",
        );
        assert.equal(
          await page.evaluate("typeof window.__pwned"),
          "undefined",
          "no script from the data ran",
        );
        assert.deepEqual(dialogs, [], "no dialog opened");

        // The sentence is text: shown literally, and no <b> / <script> element was made from it.
        const attacks = await page.evaluate(
          "document.querySelector('#attacks').innerText",
        ) as string;
        assert.ok(
          attacks.includes("<script>alert(1)</script>"),
          `literal script text shown:\n${attacks}`,
        );
        assert.ok(attacks.includes("<b>markup</b>"), "literal markup shown");
        assert.ok(
          attacks.includes(`onmouseover="window.__pwned='attr'"`),
          "attribute break-out shown as text",
        );
        assert.equal(
          await page.evaluate(
            "[...document.querySelectorAll('b')].filter((b) => b.textContent === 'markup').length",
          ),
          0,
        );
        assert.equal(await page.evaluate("document.querySelectorAll('script').length"), 1);
        assert.ok(
          (await page.evaluate("document.querySelector('#leaderboard').innerText") as string)
            .includes(`<img src=x onerror="window.__pwned='name'">`),
        );
        assert.ok(
          (await page.evaluate("document.querySelector('#run').innerText") as string).includes(
            "<i>gamma</i>",
          ),
        );

        // Charts: inline SVGs (rendered from records/metrics, architecture diagrams) and images.
        const svgs = await page.evaluate(
          `[...document.querySelectorAll("figure.chart > svg, figure.arch > svg")]
          .map((s) => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })`,
        ) as [number, number][];
        assert.ok(svgs.length >= 4, `expected charts and diagrams, got ${svgs.length} SVGs`);
        for (const [w, h] of svgs) assert.ok(w > 0 && h > 0, `an SVG has size ${w}x${h}`);
        const images = await page.evaluate(`[...document.querySelectorAll("figure.chart img")]
          .map((i) => [i.alt, i.naturalWidth, i.naturalHeight])`) as [string, number, number][];
        assert.deepEqual(images.map((i) => i[0]).sort(), ["evil.svg", "loss.svg"]);
        for (const [name, w, h] of images) {
          assert.ok(w > 0 && h > 0, `chart image ${name} did not render (${w}x${h})`);
        }

        // Sorting: fitness ascending, then descending (clicks on the header cell).
        const fitnessColumn = () =>
          page.evaluate(
            `[...document.querySelectorAll("table.leaderboard tbody tr")]` +
              `.map((r) => Number(r.cells[2].dataset.sort))`,
          );
        const clickFitness = () =>
          page.click(
            `[...document.querySelectorAll("table.leaderboard th")]` +
              `.find((th) => th.textContent.startsWith("fitness"))`,
          );
        assert.deepEqual(await fitnessColumn(), [1.3, 1.1, 1.0, 0.9]);
        await clickFitness();
        assert.deepEqual(await fitnessColumn(), [0.9, 1.0, 1.1, 1.3]);
        await clickFitness();
        assert.deepEqual(await fitnessColumn(), [1.3, 1.1, 1.0, 0.9]);

        // Hide / show a section.
        const hidden = () =>
          page.evaluate("document.querySelector('#charts > .section-body').hidden");
        await page.click("document.querySelector('#charts > h2 > button.toggle')");
        assert.equal(await hidden(), true);
        await page.click("document.querySelector('#charts > h2 > button.toggle')");
        assert.equal(await hidden(), false);

        Deno.writeFileSync(`${ROOT}runs/report_screenshot.png`, await page.screenshot());
        assert.deepEqual(errors, [], `console errors: ${errors.join("\n")}`);
      } finally {
        await browser.close();
      }
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
});

// ---- a minimal DevTools-protocol driver (only what this test needs) -------------------------

interface Page {
  /** Console errors, uncaught exceptions and log errors seen so far. */
  readonly errors: string[];
  /** Messages of dialogs that opened (each is dismissed). */
  readonly dialogs: string[];
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the page; returns its JSON value. */
  evaluate(expression: string): Promise<unknown>;
  /** Clicks the element an expression returns, with real mouse events at its centre. */
  click(elementExpression: string): Promise<void>;
  /** PNG of the whole page. */
  screenshot(): Promise<Uint8Array>;
}

interface Browser {
  newPage(viewport: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

async function launchChromium(path: string): Promise<Browser> {
  const profile = Deno.makeTempDirSync({ prefix: "report_test_chromium_" });
  const proc = new Deno.Command(path, {
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-extensions",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Chromium prints "DevTools listening on ws://127.0.0.1:<port>/devtools/browser/<id>" on stderr.
  const lines = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let wsUrl: string | undefined;
  const deadline = Date.now() + 30_000;
  while (!wsUrl) {
    const { value, done } = await lines.read();
    if (done || Date.now() > deadline) {
      proc.kill();
      throw new Error(`Chromium did not print its DevTools address:\n${seen.slice(-2000)}`);
    }
    seen += value;
    wsUrl = seen.match(/DevTools listening on (ws:\/\/\S+)/)?.[1];
  }
  const drain = (async () => {
    try {
      while (!(await lines.read()).done) { /* keep the pipe empty */ }
    } catch { /* closed */ }
  })();

  let ws: WebSocket;
  try {
    ws = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`cannot connect to ${wsUrl}`));
    });
  } catch (err) {
    proc.kill("SIGKILL");
    await proc.status;
    await drain;
    Deno.removeSync(profile, { recursive: true });
    throw err;
  }
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  const listeners:
    ((method: string, params: Record<string, unknown>, sessionId?: string) => void)[] = [];
  ws.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data));
    if (msg.id !== undefined) {
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(`CDP ${msg.error.message}`));
      else w?.resolve(msg.result ?? {});
    } else {
      for (const l of listeners) l(msg.method, msg.params ?? {}, msg.sessionId);
    }
  };
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });

  return {
    async newPage(viewport) {
      const { targetId } = await send("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true }) as {
        sessionId: string;
      };
      const call = (method: string, params: Record<string, unknown> = {}) =>
        send(method, params, sessionId);
      const errors: string[] = [], dialogs: string[] = [];
      let loaded: (() => void) | null = null;
      listeners.push((method, params, sid) => {
        if (sid !== sessionId) return;
        if (method === "Runtime.consoleAPICalled" && params.type === "error") {
          errors.push(`console.error: ${JSON.stringify(params.args)}`);
        } else if (method === "Runtime.exceptionThrown") {
          errors.push(`exception: ${JSON.stringify(params.exceptionDetails)}`);
        } else if (
          method === "Log.entryAdded" && (params.entry as { level?: string })?.level === "error"
        ) {
          errors.push(`log: ${(params.entry as { text?: string }).text}`);
        } else if (method === "Page.javascriptDialogOpening") {
          dialogs.push(String(params.message));
          void call("Page.handleJavaScriptDialog", { accept: false });
        } else if (method === "Page.loadEventFired") {
          loaded?.();
        }
      });
      await call("Runtime.enable");
      await call("Page.enable");
      await call("Log.enable");
      await call("Emulation.setDeviceMetricsOverride", {
        ...viewport,
        deviceScaleFactor: 1,
        mobile: false,
      });
      const evaluate = async (expression: string) => {
        const r = await call("Runtime.evaluate", {
          expression,
          returnByValue: true,
          awaitPromise: true,
        }) as {
          result: { value?: unknown };
          exceptionDetails?: unknown;
        };
        if (r.exceptionDetails) {
          throw new Error(`evaluate ${expression}: ${JSON.stringify(r.exceptionDetails)}`);
        }
        return r.result.value;
      };
      return {
        errors,
        dialogs,
        async goto(url) {
          const load = new Promise<void>((resolve) => (loaded = resolve));
          await call("Page.navigate", { url });
          await load;
          loaded = null;
        },
        evaluate,
        async click(elementExpression) {
          const box = await evaluate(
            `(() => { const el = ${elementExpression}; el.scrollIntoView({ block: "center" });
            const r = el.getBoundingClientRect(); ` +
              `return [r.x + r.width / 2, r.y + r.height / 2]; })()`,
          ) as [number, number];
          for (const type of ["mousePressed", "mouseReleased"]) {
            await call("Input.dispatchMouseEvent", {
              type,
              x: box[0],
              y: box[1],
              button: "left",
              clickCount: 1,
            });
          }
        },
        async screenshot() {
          const m = await call("Page.getLayoutMetrics") as {
            cssContentSize: { width: number; height: number };
          };
          const { width, height } = m.cssContentSize;
          const r = await call("Page.captureScreenshot", {
            format: "png",
            captureBeyondViewport: true,
            clip: { x: 0, y: 0, width: Math.ceil(width), height: Math.ceil(height), scale: 1 },
          }) as { data: string };
          return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
        },
      };
    },
    async close() {
      try {
        await Promise.race([send("Browser.close"), new Promise((r) => setTimeout(r, 5000))]);
      } catch { /* already gone */ }
      ws.close();
      const timer = setTimeout(() => {
        try {
          proc.kill("SIGKILL");
        } catch { /* exited */ }
      }, 5000);
      await proc.status;
      clearTimeout(timer);
      await drain;
      Deno.removeSync(profile, { recursive: true });
    },
  };
}
