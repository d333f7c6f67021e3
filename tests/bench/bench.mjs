// trace-view benchmark: trace-view vs MLflow's own UI on the same real mlflow server, in the same
// headless Chromium, plus offline floors (bare fetch + JSON.parse), parser throughput, memory and
// bundle size. Prints a table with min/median/max and ratios, and writes JSON.
//
//   node tests/bench/bench.mjs                        # 100, 1k, 10k spans via the SDK; 100k offline; 3 repeats
//   node tests/bench/bench.mjs --quick                # the CI smoke run: 1k spans, 1 repeat
//   node tests/bench/bench.mjs --sizes 100,1000 --offline 10000,100000,1000000 --repeat 3 --list 1000
//
// Needs dist/ (trunk build --release) and the tools from scripts/setup.sh.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/serve.mjs';
import { launch } from '../e2e/browser.mjs';
import { startMlflow, PYTHON } from '../e2e/mlflow.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GENERATED = path.join(ROOT, 'tests', 'fixtures', 'generated');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const QUICK = args.includes('--quick');
const SIZES = opt('--sizes', QUICK ? '1000' : '100,1000,10000').split(',').filter(Boolean).map(Number);
const OFFLINE = opt('--offline', QUICK ? '' : '10000,100000').split(',').filter(Boolean).map(Number);
// Frame times of a scripted 5 s interaction (scroll the tree, zoom and pan the timeline) on these sizes.
const FRAMES = opt('--frames', QUICK ? '10000' : '100000').split(',').filter(Boolean).map(Number);
const REPEAT = Number(opt('--repeat', QUICK ? 1 : 3));
const LIST = Number(opt('--list', QUICK ? 0 : 1000));
const MLFLOW_UI = !args.includes('--no-mlflow-ui');
const UI_TIMEOUT = Number(opt('--ui-timeout', 60)) * 1000;
const OUT = opt('--out', path.join(ROOT, 'target', 'bench', QUICK ? 'smoke.json' : 'results.json'));

const stats = xs => {
  const s = [...xs].filter(x => x != null).sort((a, b) => a - b);
  return s.length ? { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1], n: s.length } : null;
};
const results = [];
const record = (what, who, values, extra = {}) => { results.push({ what, who, ...stats(values), values, ...extra }); };

async function timed(browser, url, readySelectorFn, { timeout = 60000, before } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.addEventListener('TrunkApplicationStarted', e => { window.__wasm = e.detail.wasm; window.__startedAt = performance.now(); });
  });
  if (before) await before(page);
  const t0 = Date.now();
  let ms = null, heap = null, wasm = null, transferred = null, error = null, started = null, afterSearch = null;
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await readySelectorFn(page, timeout);
    ms = Date.now() - t0;
    const m = await page.evaluate(() => ({
      started: window.__startedAt ?? null,
      // ms from the last trace-search answer to now (rows visible): the viewer's own part of the list time
      afterSearch: (() => { const r = performance.getEntriesByType('resource').filter(e => e.name.includes('traces/search')).pop();
        return r ? performance.now() - r.responseEnd : null; })(),
      heap: performance.memory?.usedJSHeapSize ?? null,
      wasm: window.__wasm?.memory?.buffer?.byteLength ?? null,
      transferred: performance.getEntriesByType('resource').reduce((n, r) => n + (r.transferSize || 0), 0)
        + (performance.getEntriesByType('navigation')[0]?.transferSize || 0),
    }));
    ({ heap, wasm, transferred, started, afterSearch } = m);
  } catch (e) {
    error = String(e).split('\n')[0];
  }
  await context.close();
  return { ms, heap, wasm, transferred, error, started, afterSearch };
}

const ourTree = name => async (page, timeout) =>
  page.locator('.tv-row .tv-name', { hasText: name }).first().waitFor({ state: 'visible', timeout });
const mlflowTree = name => async (page, timeout) =>
  page.getByText(name, { exact: true }).first().waitFor({ state: 'visible', timeout });
const textIs = (sel, text) => async (page, timeout) =>
  page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [sel, text], { timeout });

/** 5 s of scripted interaction, one step per animation frame: 1 s scrolling the tree, 1 s zooming the
 *  timeline (Ctrl + wheel, in twice as often as out), 1 s panning it (Shift + wheel), repeated. Returns
 *  the intervals between frames and the main-thread work of each step (event → style and layout). */
async function interact(page, ms) {
  return page.evaluate(async (ms) => {
    const scroller = document.querySelector('.tv-scroll');
    const deltas = [], work = [];
    let last = performance.now(), i = 0;
    const end = last + ms;
    await new Promise(resolve => {
      function frame(now) {
        deltas.push(now - last); last = now;
        if (now > end) return resolve();
        const t = performance.now();
        const phase = Math.floor(i / 60) % 3;
        if (phase === 0) scroller.scrollTop += 130;
        else {
          const cell = document.querySelector('.tv-row .tv-cell-time');
          const r = cell.getBoundingClientRect();
          const zoomIn = i % 3 !== 0;
          cell.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: r.left + r.width * 0.4, clientY: r.top + 5,
            deltaY: phase === 1 ? (zoomIn ? -100 : 100) : 150, ctrlKey: phase === 1, shiftKey: phase === 2 }));
        }
        void document.body.offsetHeight; // this step's style and layout, inside the measurement
        work.push(performance.now() - t);
        i++;
        requestAnimationFrame(frame);
      }
      requestAnimationFrame(frame);
    });
    return { deltas: deltas.slice(2), work, steps: i, range: document.querySelector('.tv-zoom-range')?.textContent };
  }, ms);
}

const p95 = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };

function mb(x) { return x == null ? '–' : (x / 1e6).toFixed(1) + ' MB'; }

async function main() {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.mkdirSync(GENERATED, { recursive: true });
  const { browser } = await launch();
  let mlflow = null, srv = null;
  try {
    // ---------- bundle ----------
    const wasmBytes = fs.readFileSync(path.join(ROOT, 'dist', 'core', 'trace-view_bg.wasm'));
    const jsBytes = Buffer.concat([fs.readFileSync(path.join(ROOT, 'dist', 'core', 'trace-view.js')), fs.readFileSync(path.join(ROOT, 'dist', 'trace-view.js'))]);
    const gz = b => zlib.gzipSync(b, { level: 9 }).length;
    record('bundle: wasm + JS, gzip', 'trace-view', [gz(wasmBytes) + gz(jsBytes)], { raw: wasmBytes.length + jsBytes.length });

    // ---------- against a real server ----------
    if (SIZES.length || LIST) {
      mlflow = await startMlflow();
      const t = Date.now();
      const seeded = JSON.parse(execFileSync(PYTHON, [path.join(ROOT, 'tests', 'bench', 'seed_sizes.py'), '--tracking-uri', mlflow.url,
        '--sizes', SIZES.join(','), '--list-traces', String(LIST)], { encoding: 'utf8', timeout: 1800000, stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop());
      console.log(`seeded ${SIZES.join(', ')}-span traces${LIST ? ` and ${LIST} list traces` : ''} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      srv = await serve({ mlflow: mlflow.url });
      const exp = seeded.experiment_id;
      for (const n of SIZES) {
        const id = seeded.traces[String(n)];
        const ours = [], theirs = [];
        for (let r = 0; r < REPEAT; r++) {
          ours.push(await timed(browser, `${srv.url}?experiment=${exp}&trace=${id}`, ourTree('step_1')));
          if (MLFLOW_UI) theirs.push(await timed(browser, `${mlflow.url}/#/experiments/${exp}/traces/${id}`, mlflowTree('step_1'), { timeout: UI_TIMEOUT }));
        }
        record(`${n.toLocaleString('en-US')} spans (server): span tree visible`, 'trace-view', ours.map(o => o.ms),
          { heap: stats(ours.map(o => o.heap))?.median, wasm: stats(ours.map(o => o.wasm))?.median, transferred: stats(ours.map(o => o.transferred))?.median, errors: ours.map(o => o.error).filter(Boolean),
            notes: `wasm app started at ${Math.round(stats(ours.map(o => o.started))?.median ?? 0)} ms (median)` });
        if (MLFLOW_UI) record(`${n.toLocaleString('en-US')} spans (server): span tree visible`, 'MLflow UI', theirs.map(o => o.ms),
          { heap: stats(theirs.map(o => o.heap))?.median, transferred: stats(theirs.map(o => o.transferred))?.median, errors: theirs.map(o => o.error).filter(Boolean) });
      }
      if (LIST) {
        const ours = [], theirs = [];
        for (let r = 0; r < REPEAT; r++) {
          ours.push(await timed(browser, `${srv.url}?experiment=${seeded.list_experiment_id}`, async (p, timeout) => p.locator('.tv-traces .tv-list-row').first().waitFor({ timeout })));
          if (MLFLOW_UI) theirs.push(await timed(browser, `${mlflow.url}/#/experiments/${seeded.list_experiment_id}/traces`, mlflowTree(`{"i": ${LIST - 1}}`), { timeout: UI_TIMEOUT }));
        }
        record(`trace list, ${LIST.toLocaleString('en-US')} traces: first rows visible`, 'trace-view', ours.map(o => o.ms), { heap: stats(ours.map(o => o.heap))?.median,
          notes: `rows visible ${Math.round(stats(ours.map(o => o.afterSearch))?.median ?? NaN)} ms after the search answer (median)` });
        if (MLFLOW_UI) record(`trace list, ${LIST.toLocaleString('en-US')} traces: first rows visible`, 'MLflow UI', theirs.map(o => o.ms), { heap: stats(theirs.map(o => o.heap))?.median, errors: theirs.map(o => o.error).filter(Boolean) });
      }
    }

    // ---------- offline: close to the floor? ----------
    if (OFFLINE.length) {
      if (!srv) srv = await serve();
      fs.writeFileSync(path.join(ROOT, 'dist', 'bench-bare.html'), `<!doctype html><body><script>
        const src = new URLSearchParams(location.search).get('src');
        fetch(src).then(r => r.text()).then(t => { const d = JSON.parse(t); document.body.textContent = d.data.spans.length.toLocaleString('en-US') + ' spans'; document.body.id = 'done'; });
      </script></body>`);
      for (const n of OFFLINE) {
        const file = path.join(GENERATED, `large_${n}.json`);
        if (!fs.existsSync(file)) execFileSync('python3', [path.join(ROOT, 'tests', 'gen_trace.py'), '--spans', String(n), '--out', file], { stdio: 'inherit' });
        const size = fs.statSync(file).size;
        const ours = [], floor = [], parse = [];
        for (let r = 0; r < REPEAT; r++) {
          ours.push(await timed(browser, `${srv.url}?src=generated/large_${n}.json`, textIs('.tv-span-count', `${n.toLocaleString('en-US')} spans`), { timeout: 120000 }));
          floor.push(await timed(browser, `${srv.url}bench-bare.html?src=generated/large_${n}.json`, textIs('body', `${n.toLocaleString('en-US')} spans`), { timeout: 120000 }));
        }
        // parser throughput: JSON.parse vs the wasm parser on the same bytes, in the same page
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${srv.url}?src=examples/11_openai_autolog_single_call.json`);
        await page.waitForSelector('.tv-span-count');
        const p = await page.evaluate(async (url) => {
          const buf = new Uint8Array(await (await fetch(url)).arrayBuffer());
          const text = new TextDecoder().decode(buf);
          let t = performance.now(); JSON.parse(text); const js = performance.now() - t;
          t = performance.now(); const spans = window.wasmBindings.parse_span_count(buf); const wasm = performance.now() - t;
          return { js, wasm, spans };
        }, `${srv.url}generated/large_${n}.json`);
        await context.close();
        record(`${n.toLocaleString('en-US')} spans (offline ?src=, ${mb(size)}): tree visible`, 'trace-view', ours.map(o => o.ms),
          { heap: stats(ours.map(o => o.heap))?.median, wasm: stats(ours.map(o => o.wasm))?.median, json: size, errors: ours.map(o => o.error).filter(Boolean) });
        record(`${n.toLocaleString('en-US')} spans (offline ?src=, ${mb(size)}): tree visible`, 'bare fetch + JSON.parse', floor.map(o => o.ms));
        record(`${n.toLocaleString('en-US')} spans: parse throughput (MB/s)`, 'trace-view (wasm)', [size / 1e6 / (p.wasm / 1000)], { spans: p.spans });
        record(`${n.toLocaleString('en-US')} spans: parse throughput (MB/s)`, 'JSON.parse', [size / 1e6 / (p.js / 1000)]);
      }
    }
    // ---------- interaction: frame times on a big trace ----------
    for (const n of FRAMES) {
      if (!srv) srv = await serve();
      const file = path.join(GENERATED, `large_${n}.json`);
      if (!fs.existsSync(file)) execFileSync('python3', [path.join(ROOT, 'tests', 'gen_trace.py'), '--spans', String(n), '--out', file], { stdio: 'inherit' });
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${srv.url}?src=generated/large_${n}.json`);
      await page.waitForFunction(t => document.querySelector('.tv-span-count')?.textContent === t, `${n.toLocaleString('en-US')} spans`, { timeout: 180000 });
      await page.waitForTimeout(500);
      const f = await interact(page, 5000);
      // Search the whole trace (sliced): total time and the longest frame while it runs.
      const search = await page.evaluate(async () => {
        const input = document.querySelector('.tv-search-input');
        const label = () => document.querySelector('.tv-match-count')?.textContent || '';
        input.value = 'tool_2';
        let longest = 0, last = performance.now();
        const t0 = last;
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        await new Promise(resolve => {
          function frame(now) {
            longest = Math.max(longest, now - last); last = now;
            if (/ of |no matches/.test(label()) || now - t0 > 60000) return resolve();
            requestAnimationFrame(frame);
          }
          requestAnimationFrame(frame);
        });
        return { ms: performance.now() - t0, longest, label: label() };
      });
      await context.close();
      console.log(`# ${n} spans: search "tool_2" → ${search.label} in ${search.ms.toFixed(0)} ms, longest frame ${search.longest.toFixed(1)} ms`);
      record(`${n.toLocaleString('en-US')} spans: search the whole trace, time to result`, 'trace-view', [search.ms],
        { notes: `${search.label}; longest frame while searching ${search.longest.toFixed(1)} ms` });
      const dropped = f.deltas.filter(d => d > 20).length;
      console.log(`# ${n} spans: ${f.steps} steps in 5 s, ${dropped} frames over 20 ms, ended at "${f.range}"`);
      record(`${n.toLocaleString('en-US')} spans: scroll + zoom + pan for 5 s, p95 frame interval`, 'trace-view', [p95(f.deltas)],
        { frames: f.deltas.length, dropped, max: Math.max(...f.deltas) });
      record(`${n.toLocaleString('en-US')} spans: scroll + zoom + pan for 5 s, p95 work per frame`, 'trace-view', [p95(f.work)],
        { frames: f.work.length, max: Math.max(...f.work) });
    }
  } finally {
    await browser.close();
    await srv?.close();
    await mlflow?.stop();
  }

  // ---------- report ----------
  const rows = [];
  const groups = [...new Set(results.map(r => r.what))];
  for (const g of groups) {
    const rs = results.filter(r => r.what === g);
    const base = rs[0];
    for (const r of rs) {
      let ratio = '';
      if (r !== base && base.median && r.median) {
        const tp = g.includes('throughput');
        const x = tp ? base.median / r.median : r.median / base.median;
        if (r.who === 'MLflow UI') ratio = `trace-view is ${x.toFixed(1)}× faster`;
        else if (tp) ratio = `trace-view at ${x.toFixed(2)}× of it`;
        else ratio = `trace-view takes ${(1 / x).toFixed(1)}× the floor`;
      }
      const unit = g.includes('throughput') ? ' MB/s' : g.startsWith('bundle') ? ' B' : ' ms';
      const fmt = v => v == null ? '–' : (unit === ' MB/s' ? v.toFixed(0) : g.includes('frame') ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')) + unit;
      rows.push([g, r.who, fmt(r.min), fmt(r.median), fmt(r.max), ratio,
        r.heap != null ? `heap ${mb(r.heap)}${r.wasm ? ` + wasm ${mb(r.wasm)}` : ''}` : '', r.transferred ? mb(r.transferred) : '', (r.errors || []).length ? `${r.errors.length} failed: ${r.errors[0].slice(0, 60)}` : r.frames ? `${r.frames} frames${r.dropped != null ? `, ${r.dropped} over 20 ms` : ''}, max ${r.max.toFixed(1)} ms` : (r.notes || '')]);
    }
  }
  const head = ['measurement', 'who', 'min', 'median', 'max', 'ratio', 'memory', 'transferred', 'notes'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)));
  const line = r => r.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  console.log('\n' + line(head) + '\n' + widths.map(w => '-'.repeat(w)).join('-|-'));
  rows.forEach(r => console.log(line(r)));
  fs.writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), repeat: REPEAT, results }, null, 1));
  console.log(`\nwrote ${OUT}`);
  const ourFailures = results.filter(r => r.who.startsWith('trace-view') && (r.errors || []).length);
  if (ourFailures.length) { console.log(`trace-view failed in ${ourFailures.length} measurement(s)`); process.exitCode = 1; }
}

main().catch(e => { console.error(e); process.exit(1); });
