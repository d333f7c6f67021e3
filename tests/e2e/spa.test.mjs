// End to end: the built SPA (dist/) in headless Chromium, opening the real MLflow corpus and
// generated large traces. Run with `node --test tests/e2e/` after `trunk build --release`.
// Screenshots go to target/screenshots/e2e/ (look at them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { documentedCsp } from './csp.mjs';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORPUS = path.join(ROOT, 'tests', 'fixtures', 'corpus');
const GENERATED = path.join(ROOT, 'tests', 'fixtures', 'generated');
const SHOTS = path.join(ROOT, 'target', 'screenshots', 'e2e');
const READY = '.tv-span-count, .tv-list-summary, .tv-error-panel';

let srv, browserCtx;
const fmt = n => n.toLocaleString('en-US');

before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'index.html')), 'dist/ is missing: run trunk build --release first');
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const n of [10000, 100000]) {
    const f = path.join(GENERATED, `large_${n}.json`);
    if (!fs.existsSync(f)) execFileSync('python3', [path.join(ROOT, 'tests', 'gen_trace.py'), '--spans', String(n), '--out', f]);
  }
  srv = await serve();
  browserCtx = await launch();
});

after(async () => {
  await browserCtx?.browser.close();
  await srv?.close();
});

/** A fresh page per test, with its own error log. */
async function open(query, { width = 1400, height = 860 } = {}) {
  const context = await browserCtx.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('dialog', d => { errors.push('dialog: ' + d.message()); d.dismiss(); });
  page.on('request', r => requests.push(r.url()));
  const t0 = Date.now();
  await page.goto(srv.url + query);
  await page.waitForSelector(READY, { timeout: 60000 });
  return { page, context, errors, requests, ms: Date.now() - t0 };
}

/** Expected values computed from the files with plain JSON parsing (independent of the viewer). */
function expectations(file) {
  const doc = JSON.parse(fs.readFileSync(path.join(CORPUS, file), 'utf8'));
  const traces = (Array.isArray(doc) ? doc : [doc]).map(t => typeof t.trace === 'string' ? JSON.parse(t.trace) : t);
  return traces.map(t => ({ spans: t.data.spans, name: t.info.tags?.['mlflow.traceName'] }));
}

const corpusFiles = fs.readdirSync(CORPUS).filter(f => f.endsWith('.json')).sort();

for (const file of corpusFiles) {
  test(`corpus ${file} opens with the right span count`, async () => {
    const exp = expectations(file);
    const total = exp.reduce((n, t) => n + t.spans.length, 0);
    const { page, context, errors } = await open(`?src=examples/${file}`);
    try {
      if (exp.length === 1) {
        const count = await page.textContent('.tv-span-count');
        assert.equal(count.trim(), `${fmt(total)} span${total === 1 ? '' : 's'}`);
        // span names from the file are in the tree (first rows are in view)
        const names = await page.$$eval('.tv-row .tv-name', els => els.map(e => e.textContent));
        const root = exp[0].spans.find(s => !s.parent_span_id);
        assert.ok(names.includes(root.name), `root ${root.name} not in ${names.slice(0, 5)}`);
        // click a span: its detail shows
        const rows = await page.$$('.tv-row');
        const target = rows[Math.min(1, rows.length - 1)];
        const name = await target.$eval('.tv-name', e => e.textContent);
        await target.click();
        await page.waitForFunction(n => document.querySelector('.tv-span-name')?.textContent === n, name, { timeout: 5000 });
      } else {
        const summary = await page.textContent('.tv-list-summary');
        assert.equal(summary.trim(), `${fmt(exp.length)} traces · ${fmt(total)} spans`);
        assert.equal(await page.locator('.tv-list-row').count(), exp.length);
        await page.locator('.tv-list-row').first().click();
        await page.waitForSelector('.tv-span-count');
        assert.equal((await page.textContent('.tv-span-count')).trim(), `${fmt(exp[0].spans.length)} spans`);
        assert.ok(page.url().includes('trace=tr-'), 'the open trace is in the URL');
      }
      await page.screenshot({ path: path.join(SHOTS, file.replace('.json', '.png')) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('deep link selects a span by hex id and the selection updates the URL', async () => {
  // kk4… style base64 ids are shown and linked as hex, like MLflow's UI
  const file = '10_openai_autolog_tool_calls.json';
  const span = expectations(file)[0].spans[2];
  const hex = Buffer.from(span.span_id, 'base64').toString('hex');
  const { page, context } = await open(`?src=examples/${file}&span=${hex}`);
  try {
    await page.waitForFunction(n => document.querySelector('.tv-span-name')?.textContent === n, span.name);
    assert.equal(await page.locator('.tv-row.tv-selected .tv-name').textContent(), span.name);
    await page.locator('.tv-row').first().click();
    await page.waitForFunction(() => !location.search.includes('span=' + 'x') && /span=[0-9a-f]{16}/.test(location.search));
  } finally {
    await context.close();
  }
});

test('chat view shows roles and tool calls; errors show the exception', async () => {
  let { page, context } = await open('?src=examples/10_openai_autolog_tool_calls.json');
  try {
    await page.locator('.tv-row', { hasText: 'Completions' }).first().click();
    await page.waitForSelector('.tv-chat');
    const roles = await page.$$eval('.tv-msg-role', els => els.map(e => e.textContent.split(' ')[0]));
    assert.deepEqual(roles.slice(0, 3), ['system', 'user', 'assistant']);
    assert.equal(await page.locator('.tv-tool-call').count(), 2);
    assert.match(await page.locator('.tv-tool-call').first().textContent(), /get_weather.*Paris/s);
  } finally {
    await context.close();
  }
  ({ page, context } = await open('?src=examples/02_error_nested_caught.json'));
  try {
    assert.equal((await page.textContent('.tv-fact-error')).trim(), '2 errors');
    await page.locator('.tv-row', { hasText: 'flaky_tool' }).click();
    await page.waitForSelector('.tv-exception');
    assert.match(await page.textContent('.tv-exception summary'), /ValueError: tool failed/);
    await page.screenshot({ path: path.join(SHOTS, 'error-span.png') });
  } finally {
    await context.close();
  }
});

test('search within a trace finds text in span outputs and walks through matches', async () => {
  const file = '10_openai_autolog_tool_calls.json';
  const spans = expectations(file)[0].spans;
  // independent expectation: spans whose raw JSON mentions the text
  const hits = needle => spans.filter(s => JSON.stringify(s).toLowerCase().includes(needle.toLowerCase()));
  const { page, context } = await open(`?src=examples/${file}`);
  try {
    const unique = 'chatcmpl-1fb3821552ce481289693892ce7568fd';
    assert.equal(hits(unique).length, 1);
    await page.fill('.tv-search-input', unique);
    await page.press('.tv-search-input', 'Enter');
    await page.waitForFunction(() => document.querySelector('.tv-match-count')?.textContent === '1 of 1');
    assert.equal(await page.textContent('.tv-span-name'), hits(unique)[0].name);
    const n = hits('paris').length;
    await page.fill('.tv-search-input', 'PARIS');
    await page.press('.tv-search-input', 'Enter');
    await page.waitForFunction(n => new RegExp(`^\\d+ of ${n}$`).test(document.querySelector('.tv-match-count')?.textContent), n);
    assert.equal(await page.locator('.tv-row.tv-match').count(), n);
    const at = Number((await page.textContent('.tv-match-count')).split(' ')[0]);
    await page.click('.tv-next-match');
    await page.waitForFunction(([k, n]) => document.querySelector('.tv-match-count')?.textContent === `${k} of ${n}`, [at % n + 1, n]);
    await page.fill('.tv-search-input', 'no such text anywhere');
    await page.press('.tv-search-input', 'Enter');
    await page.waitForFunction(() => document.querySelector('.tv-match-count')?.textContent === 'no matches');
  } finally {
    await context.close();
  }
});

test('timeline: minimap drag zooms, bars outside the range hide, wheel zooms and pans, double-click fits a span, Fit resets', async () => {
  const { page, context, errors } = await open('?src=examples/50_async_gather_overlapping.json');
  try {
    const bars = () => page.locator('.tv-row .tv-bar:not(.tv-bar-out)').count();
    const range = () => page.textContent('.tv-zoom-range');
    assert.equal(await range(), 'whole trace');
    assert.equal(await bars(), 19);
    // The minimap is drawn: some canvas pixels are not transparent.
    const inked = await page.$eval('.tv-minimap-canvas', c => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;
    });
    assert.ok(inked > 100, `minimap pixels drawn: ${inked}`);
    // Drag across the last 10% of the trace: only spans running then keep a bar.
    const box = await page.locator('.tv-minimap').boundingBox();
    await page.mouse.move(box.x + box.width * 0.9, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.99, box.y + 10, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('.tv-zoom-range').textContent !== 'whole trace');
    assert.match(await range(), /^2\d\d ms – 2\d\d ms of 262 ms$/);
    const zoomedBars = await bars();
    assert.ok(zoomedBars > 0 && zoomedBars < 19, `bars in the zoomed range: ${zoomedBars}`);
    await page.screenshot({ path: path.join(SHOTS, 'timeline-zoomed.png') });
    // Fit shows the whole trace again.
    await page.click('.tv-zoom-fit');
    assert.equal(await range(), 'whole trace');
    assert.equal(await bars(), 19);
    // Ctrl + wheel over the timeline zooms in at the pointer; Shift + wheel pans.
    const cell = await page.locator('.tv-row >> nth=1').locator('.tv-cell-time').boundingBox();
    await page.mouse.move(cell.x + cell.width * 0.5, cell.y + 5);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -600);
    await page.keyboard.up('Control');
    await page.waitForFunction(() => document.querySelector('.tv-zoom-range').textContent !== 'whole trace');
    const zoomedIn = await range();
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, 400);
    await page.keyboard.up('Shift');
    await page.waitForFunction((before) => document.querySelector('.tv-zoom-range').textContent !== before, zoomedIn);
    // Double-click a bar's cell: the range becomes that span (padded 5% each side).
    await page.dblclick('.tv-row >> nth=3 >> .tv-cell-time');
    const dur = (await page.textContent('.tv-row >> nth=3 >> .tv-dur')).trim();
    assert.match(await range(), / of 262 ms$/);
    console.log(`# double-clicked span of ${dur}: range ${await range()}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('collapse and expand change the rows shown', async () => {
  const { page, context } = await open('?src=examples/60_large_1000_spans.json');
  try {
    assert.match(await page.textContent('.tv-toolbar'), /1,000 rows shown/);
    await page.locator('.tv-row').first().locator('.tv-twisty').click();
    await page.waitForFunction(() => /(^|\D)1 row shown/.test(document.querySelector('.tv-toolbar').textContent));
    assert.equal(await page.locator('.tv-row').count(), 1);
    await page.click('text=Expand all');
    await page.waitForFunction(() => /1,000 rows shown/.test(document.querySelector('.tv-toolbar').textContent));
  } finally {
    await context.close();
  }
});

for (const n of [10000, 100000]) {
  test(`a generated ${fmt(n)}-span trace opens and scrolls with a bounded DOM`, async () => {
    const { page, context, errors, ms } = await open(`?src=generated/large_${n}.json`);
    try {
      assert.equal((await page.textContent('.tv-span-count')).trim(), `${fmt(n)} spans`);
      const rowsInDom = await page.locator('.tv-row').count();
      assert.ok(rowsInDom > 10 && rowsInDom < 120, `rows in DOM: ${rowsInDom}`);
      // scroll to the very end: the last span in pre-order is rendered
      await page.$eval('.tv-scroll', el => { el.scrollTop = el.scrollHeight; });
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('.tv-row')];
        const el = document.querySelector('.tv-scroll');
        const bottom = el.scrollTop + el.clientHeight;
        return rows.some(r => Math.abs(r.offsetTop + r.offsetHeight - el.scrollHeight) < 2) && bottom >= el.scrollHeight - 2;
      }, null, { timeout: 10000 });
      const after = await page.locator('.tv-row').count();
      assert.ok(after < 120, `rows in DOM after scroll: ${after}`);
      await page.screenshot({ path: path.join(SHOTS, `large_${n}_bottom.png`) });
      console.log(`# ${fmt(n)} spans: ready ${ms} ms after navigation; ${rowsInDom} rows in the DOM`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('bad files get a clear error panel', async () => {
  const cases = [
    ['bad/truncated.json', /not valid JSON — line 1, column \d+: .*cut short/],
    ['bad/mlflow_run.json', /this file is an MLflow run, not a trace/],
    ['examples/no-such-file.json', /the server answered 404/],
  ];
  for (const [src, re] of cases) {
    const { page, context } = await open(`?src=${src}`);
    try {
      await page.waitForSelector('.tv-error-panel');
      assert.match(await page.textContent('.tv-error-message'), re);
      await page.screenshot({ path: path.join(SHOTS, `error-${path.basename(src, '.json')}.png`) });
    } finally {
      await context.close();
    }
  }
});

test('inputs over the size limit are refused with a reason, and the next file still opens', async () => {
  const cases = [
    ['huge/declared-1gb.json', /huge\/declared-1gb\.json is too large to open here \(1\.07 GB\): trace-view opens at most 805 MB/],
    ['huge/stream-1gb.json', /huge\/stream-1gb\.json is too large to open here \(more than 80\d MB\)/],
  ];
  for (const [src, re] of cases) {
    const t0 = Date.now();
    const { page, context, errors } = await open(`?src=${src}`);
    try {
      assert.match(await page.textContent('.tv-error-message'), re);
      console.log(`# ${src}: refused after ${Date.now() - t0} ms`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  // A 1 GiB file picked from disk (sparse: no real bytes) is refused unread; the next pick works.
  const sparse = path.join(GENERATED, 'sparse-1gb.json');
  fs.closeSync(fs.openSync(sparse, 'w'));
  fs.truncateSync(sparse, 1 << 30);
  const { page, context, errors } = await open('?src=examples/11_openai_autolog_single_call.json');
  try {
    await page.setInputFiles('.tv-topbar input[type=file]', sparse);
    await page.waitForSelector('.tv-error-panel');
    assert.match(await page.textContent('.tv-error-message'), /sparse-1gb\.json is too large to open here \(1\.07 GB\): trace-view opens at most 805 MB/);
    await page.screenshot({ path: path.join(SHOTS, 'error-too-large.png') });
    await page.setInputFiles('.tv-topbar input[type=file]', path.join(CORPUS, '50_async_gather_overlapping.json'));
    await page.waitForFunction(() => document.querySelector('.tv-span-count')?.textContent === '19 spans');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    fs.rmSync(sparse, { force: true });
  }
});

test('a 50 MB input, a 1 MB span name and 10,000 attributes open; text stays folded', async () => {
  const file = path.join(GENERATED, 'huge_strings.json');
  if (!fs.existsSync(file)) {
    const span = (id, parent, name, attributes) => ({ trace_id: 'T', span_id: id, parent_span_id: parent, name,
      start_time_unix_nano: 1_000_000, end_time_unix_nano: 9_000_000, status: { code: 'STATUS_CODE_OK', message: '' },
      attributes, events: [] });
    const wide = {};
    for (let i = 0; i < 10000; i++) wide[`key.${i}`] = JSON.stringify(`value ${i}`);
    const doc = { info: { trace_id: 'tr-huge', state: 'OK', request_time: '2025-01-01T00:00:00Z', execution_duration: '8ms' },
      data: { spans: [
        span('root', null, 'N'.repeat(1_000_000), { 'mlflow.spanInputs': JSON.stringify('x'.repeat(50_000_000) + ' END') }),
        span('wide', 'root', 'wide_span', wide),
      ] } };
    fs.writeFileSync(file, JSON.stringify(doc));
  }
  const { page, context, errors, ms } = await open('?src=generated/huge_strings.json');
  try {
    console.log(`# huge_strings.json (${(fs.statSync(file).size / 1e6).toFixed(0)} MB): opened in ${ms} ms`);
    assert.equal((await page.textContent('.tv-span-count')).trim(), '2 spans');
    const names = await page.$$eval('.tv-row .tv-name', els => els.map(e => e.textContent.length));
    assert.deepEqual(names, [301, 9]);
    await page.click('.tv-row >> nth=0');
    await page.waitForSelector('.tv-json-string');
    assert.match(await page.textContent('.tv-detail'), /show all \(50,000,004 chars\)/);
    const domChars = await page.evaluate(() => document.body.textContent.length);
    assert.ok(domChars < 100_000, `the page holds ${domChars} characters of text`);
    await page.click('.tv-row >> nth=1');
    await page.click('.tv-tab:has-text("Attributes")');
    assert.equal(await page.locator('.tv-attr-table tr').count(), 200);
    await page.click('.tv-show-all');
    await page.waitForFunction(() => document.querySelector('.tv-detail')?.textContent.includes('key.9999'), null, { timeout: 30000 });
    await page.screenshot({ path: path.join(SHOTS, 'huge-strings.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('orphans and cycles are shown and marked, not dropped', async () => {
  const { page, context } = await open('?src=bad/orphans_and_cycles.json');
  try {
    assert.equal((await page.textContent('.tv-span-count')).trim(), '4 spans');
    const names = await page.$$eval('.tv-row .tv-name', els => els.map(e => e.textContent));
    assert.deepEqual([...names].sort(), ['cycle_x', 'cycle_y', 'orphan_span', 'root']);
    assert.ok(await page.locator('.tv-flag').count() >= 2);
    assert.match(await page.textContent('.tv-problems summary'), /problems/);
  } finally {
    await context.close();
  }
});

test('hostile content is text: no dialog, no script, no injected elements, no request but the viewer\'s own', async () => {
  const { page, context, errors, requests } = await open('?src=examples/40_hostile_unicode_xss_1MiB.json');
  try {
    const names = await page.$$eval('.tv-row .tv-name', els => els.map(e => e.textContent));
    assert.ok(names.some(n => n.includes("<img src=x onerror=alert('spanname')>")));
    for (const row of await page.$$('.tv-row')) {
      await row.click();
      await page.waitForTimeout(50);
    }
    const injected = await page.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      // the only script is the viewer's own loader
      scripts: [...document.querySelectorAll('script')].filter(s => !s.textContent.includes("from './core/trace-view.js'")).length,
      iframes: document.querySelectorAll('iframe').length,
    }));
    assert.deepEqual(injected, { imgs: 0, scripts: 0, iframes: 0 });
    assert.deepEqual(errors, []);
    // Every request went to the viewer's own origin, for the viewer's own files and the trace itself.
    const own = /^\/(\?src=examples\/40_hostile_unicode_xss_1MiB\.json|trace-view\.css|core\/.*|config\.json|examples\/40_hostile_unicode_xss_1MiB\.json)?$/;
    const foreign = requests.filter(u => { const x = new URL(u); return x.origin !== new URL(srv.url).origin || !own.test(x.pathname + x.search); });
    assert.deepEqual(foreign, [], 'requests other than the viewer\'s own');
    assert.ok(requests.length >= 4, `requests seen: ${requests.length}`);
  } finally {
    await context.close();
  }
});

test('bidi overrides, zero-width and control characters are shown, not obeyed', async () => {
  const { page, context } = await open('?src=bad/bidi_spoof.json');
  try {
    const names = await page.$$eval('.tv-row .tv-name', els => els.map(e => e.textContent));
    assert.deepEqual(names, ['invoice⟨RLO⟩fdp.exe', 'tool\u2400\u241B[31mred']);
    assert.equal(await page.textContent('.tv-trace-name'), 'invoice⟨RLO⟩fdp.exe');
    assert.match(await page.textContent('.tv-json'), /admin⟨ZWSP⟩⟨ZWSP⟩panel\u2407 ok/);
  } finally {
    await context.close();
  }
});

test('a file can be opened with the picker and by drag-and-drop', async () => {
  const { page, context } = await open('?src=examples/11_openai_autolog_single_call.json');
  try {
    await page.setInputFiles('.tv-topbar input[type=file]', path.join(CORPUS, '50_async_gather_overlapping.json'));
    await page.waitForFunction(() => document.querySelector('.tv-span-count')?.textContent === '19 spans');
    const text = fs.readFileSync(path.join(CORPUS, '04_error_record_exception.json'), 'utf8');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      document.querySelector('.tv-app').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForFunction(() => document.querySelector('.tv-span-count')?.textContent === '2 spans');
    assert.match(await page.textContent('.tv-topbar-source'), /dropped\.json/);
  } finally {
    await context.close();
  }
});

test('gzip files open; any trace downloads as MLflow 3 JSON that opens again', async () => {
  const gz = path.join(GENERATED, 'corpus_50.json.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(path.join(CORPUS, '50_async_gather_overlapping.json'))));
  const { page, context } = await open('?src=generated/corpus_50.json.gz');
  try {
    assert.equal((await page.textContent('.tv-span-count')).trim(), '19 spans');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.tv-download')]);
    const saved = path.join(GENERATED, 'downloaded.json');
    await download.saveAs(saved);
    const doc = JSON.parse(fs.readFileSync(saved, 'utf8'));
    assert.equal(doc.data.spans.length, 19);
    assert.match(doc.info.trace_id, /^tr-[0-9a-f]{32}$/);
    await page.goto(srv.url + '?src=generated/downloaded.json');
    await page.waitForFunction(() => document.querySelector('.tv-span-count')?.textContent === '19 spans');
  } finally {
    await context.close();
  }
});

test('every format of the same trace opens with the same span count', async () => {
  for (const f of ['trace_to_json_agent.json', 'rest_traces_get_response.json', 'rest_get_trace_artifact_body.json',
    'otlp_json_from_span_to_otel_proto.json']) {
    const { page, context } = await open(`?src=fixtures/formats/${f}`);
    try {
      assert.equal((await page.textContent('.tv-span-count')).trim(), '9 spans', f);
      assert.equal(await page.locator('.tv-row .tv-name').first().textContent(), 'weather_agent', f);
    } finally {
      await context.close();
    }
  }
});

test('the SPA works under the documented Content-Security-Policy (no eval, no inline script but its loader)', async () => {
  const strict = await serve({ csp: documentedCsp() });
  const context = await browserCtx.browser.newContext();
  const page = await context.newPage();
  const violations = [], errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
  try {
    await page.goto(strict.url + '?src=examples/40_hostile_unicode_xss_1MiB.json');
    await page.waitForSelector('.tv-span-count', { timeout: 30000 });
    assert.equal(await page.textContent('.tv-span-count'), '7 spans');
    for (const row of await page.$$('.tv-row')) await row.click();
    // the element on a host page with the same policy (the element adds a <style> in its shadow root)
    await page.route('**/strict-element.html', route => route.fulfill({
      contentType: 'text/html', headers: { 'content-security-policy': documentedCsp() },
      body: '<script type="module" src="./trace-view.js"></script><trace-view id="e" src="examples/02_error_nested_caught.json"></trace-view>',
    }));
    await page.goto(strict.url + 'strict-element.html');
    assert.equal(await page.locator('#e .tv-span-count').textContent({ timeout: 20000 }), '3 spans');
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await strict.close();
  }
});

test('landing page explains how to open a trace', async () => {
  const context = await browserCtx.browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(srv.url);
    await page.waitForSelector('.tv-landing');
    await page.waitForSelector('.tv-examples a');
    assert.ok(await page.locator('.tv-examples a').count() >= 20);
    await page.screenshot({ path: path.join(SHOTS, 'landing.png') });
  } finally {
    await context.close();
  }
});
