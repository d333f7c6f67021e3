// End to end against a real `mlflow server` seeded by the real MLflow SDK: experiments, trace search
// (filters, bad filter, paging), trace detail, tag edits read back with MLflow's Python client,
// sessions, deep links and back/forward, and injected faults (500, slow, down, CORS refusal).
// The viewer and the API share one origin through tests/e2e/serve.mjs's proxy (the production setup).
import { test, before, after } from 'node:test';
// Shared by server-sqlite.test.mjs and server-postgres.test.mjs: `serverSuite(tag, backend)` where
// backend() returns { uri, stop } or null (sqlite).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';
import { startMlflow, seed, tagsViaPython, python } from './mlflow.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'target', 'screenshots', 'e2e');
export function serverSuite(TAG, backend = async () => null) {
let mlflow, srv, b, seeded, store;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  store = await backend();
  mlflow = await startMlflow({ backendUri: store?.uri });
  const t0 = Date.now();
  seeded = seed(mlflow.url, { extra: 30, largeSpans: 1000 });
  console.log(`# [${TAG}] seeded ${seeded.total_traces} traces in ${Date.now() - t0} ms`);
  srv = await serve({ mlflow: mlflow.url });
  b = await launch();
}, { timeout: 300000 });

after(async () => {
  await b?.browser.close();
  await srv?.close();
  await mlflow?.stop();
  await store?.stop();
});

async function open(query) {
  const context = await b.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(srv.url + query);
  return { page, context, errors };
}
const exp = () => seeded.experiment_id;
const rows = page => page.locator('.tv-traces .tv-list-row');

test(`[${TAG}] experiments list → experiment → trace list`, async () => {
  const { page, context, errors } = await open('');
  try {
    await page.locator('.tv-experiments .tv-list-row', { hasText: 'trace-view-demo' }).click();
    await rows(page).first().waitFor();
    assert.ok(page.url().includes(`experiment=${exp()}`));
    assert.equal(await rows(page).count(), Math.min(50, seeded.total_traces));
    await page.screenshot({ path: path.join(SHOTS, `server-${TAG}-list.png`) });
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test(`[${TAG}] a filter narrows the list; a bad filter shows the server's error`, async () => {
  const { page, context } = await open(`?experiment=${exp()}`);
  try {
    await rows(page).first().waitFor();
    await page.fill('.tv-filter', "trace.status = 'ERROR'");
    await page.press('.tv-filter', 'Enter');
    await page.waitForFunction(n => document.querySelectorAll('.tv-traces .tv-list-row').length === n, seeded.errors);
    assert.ok(decodeURIComponent(page.url()).includes("filter=trace.status+=+'ERROR'") || page.url().includes('filter='));
    await page.fill('.tv-filter', "trace.status = 'OK' OR trace.status = 'ERROR'");
    await page.press('.tv-filter', 'Enter');
    await page.waitForSelector('.tv-filter-error');
    assert.match(await page.textContent('.tv-filter-error'), /OR/);
    // quick filters write into the filter string
    await page.fill('.tv-filter', '');
    await page.fill('.tv-quick-session', 'sess-bob-1');
    await page.press('.tv-quick-session', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('.tv-traces .tv-list-row').length === 3);
    assert.equal(await page.inputValue('.tv-filter'), "metadata.`mlflow.trace.session` = 'sess-bob-1'");
  } finally { await context.close(); }
});

test(`[${TAG}] paging across pages with the server's page token`, async () => {
  const size = 10;
  const { page, context } = await open(`?experiment=${exp()}&page_size=${size}&sort=oldest`);
  try {
    const seen = new Set();
    const pages = Math.ceil(seeded.total_traces / size);
    assert.ok(pages >= 3);
    for (let p = 1; p <= pages; p++) {
      await page.waitForFunction(p => document.querySelector('.tv-page-info')?.textContent.startsWith(`Page ${p} `), p);
      const ids = await page.$$eval('.tv-traces .tv-list-row td:first-child', els => els.map(e => e.textContent));
      ids.forEach(id => seen.add(id));
      if (p < pages) await page.click('.tv-next');
      else assert.equal(await page.isDisabled('.tv-next'), true);
    }
    assert.equal(seen.size, seeded.total_traces, 'every trace appears exactly once across pages');
    await page.click('.tv-prev');
    await page.waitForFunction(p => document.querySelector('.tv-page-info')?.textContent.startsWith(`Page ${p} `), pages - 1);
  } finally { await context.close(); }
});

test(`[${TAG}] trace detail from a deep link, with the right span count; back/forward work`, async () => {
  const { page, context } = await open(`?experiment=${exp()}&trace=${seeded.large_trace_id}`);
  try {
    assert.equal(await page.textContent('.tv-span-count', { timeout: 30000 }), `${seeded.large_spans.toLocaleString('en-US')} spans`);
    await page.screenshot({ path: path.join(SHOTS, `server-${TAG}-trace.png`) });
    // click through from the list, then go back
    await page.goto(srv.url + `?experiment=${exp()}`);
    const first = rows(page).first();
    const id = await first.locator('td').first().textContent();
    await first.click();
    await page.waitForSelector('.tv-span-count');
    assert.ok(page.url().includes(`trace=${id}`));
    await page.goBack();
    await rows(page).first().waitFor();
    await page.goForward();
    await page.waitForSelector('.tv-span-count');
  } finally { await context.close(); }
});

test(`[${TAG}] assessments logged with the SDK are shown read-only on the trace`, async () => {
  const { page, context } = await open(`?experiment=${exp()}&trace=${seeded.assessed_trace_id}`);
  try {
    await page.waitForSelector('.tv-assessments');
    assert.equal(await page.textContent('.tv-assessments summary'), 'Assessments (2)');
    const text = await page.textContent('.tv-assessments');
    assert.match(text, /helpfulness[\s\S]*feedback · HUMAN[\s\S]*true[\s\S]*Answered with the tool's data/);
    assert.match(text, /expected_answer[\s\S]*Paris is 18°C/);
  } finally { await context.close(); }
});

test(`[${TAG}] add, edit and delete a tag; read back through MLflow's Python client`, async () => {
  const trace = seeded.sessions['sess-alice-1'][0];
  const { page, context } = await open(`?experiment=${exp()}&trace=${trace}`);
  try {
    await page.waitForSelector('.tv-tag-editor');
    await page.fill('.tv-new-tag-key', 'reviewed_by');
    await page.fill('.tv-new-tag-value', 'e2e test');
    await page.click('.tv-add-tag');
    await page.waitForSelector('.tv-tag-ok');
    assert.equal(tagsViaPython(mlflow.url, trace).reviewed_by, 'e2e test');
    await page.click('.tv-tag-editable[data-key="reviewed_by"] .tv-tag-value');
    await page.fill('.tv-tag-input', 'edited');
    await page.press('.tv-tag-input', 'Enter');
    await page.waitForFunction(() => document.querySelector('.tv-tag-ok')?.textContent.includes('Saved tag reviewed_by'));
    await page.waitForTimeout(200);
    assert.equal(tagsViaPython(mlflow.url, trace).reviewed_by, 'edited');
    await page.click('.tv-tag-editable[data-key="reviewed_by"] .tv-tag-delete');
    await page.waitForFunction(() => document.querySelector('.tv-tag-ok')?.textContent.includes('Deleted tag reviewed_by'));
    assert.equal(tagsViaPython(mlflow.url, trace).reviewed_by, undefined);
    // a write the server refuses is rolled back and reported
    await page.fill('.tv-new-tag-key', 'mlflow.trace.spansLocation');
    await page.fill('.tv-new-tag-value', 'nope');
    await page.click('.tv-add-tag');
    await page.waitForSelector('.tv-tag-error');
    assert.match(await page.textContent('.tv-tag-error'), /undone.*immutable/s);
    assert.equal(tagsViaPython(mlflow.url, trace)['mlflow.trace.spansLocation'], 'TRACKING_STORE');
  } finally { await context.close(); }
});

test(`[${TAG}] sessions list and a session page with its turns`, async () => {
  const { page, context } = await open(`?experiment=${exp()}&view=sessions`);
  try {
    await page.waitForSelector('.tv-sessions');
    const ids = await page.$$eval('.tv-sessions .tv-list-row td:first-child', els => els.map(e => e.textContent).sort());
    assert.deepEqual(ids, Object.keys(seeded.sessions).sort());
    await page.locator('.tv-sessions .tv-list-row', { hasText: 'sess-bob-1' }).click();
    await page.waitForSelector('.tv-turn-count');
    assert.equal(await page.textContent('.tv-turn-count'), `${seeded.sessions['sess-bob-1'].length} turns`);
    assert.match(await page.textContent('.tv-conversation'), /Weather in Lima please/);
    await page.screenshot({ path: path.join(SHOTS, `server-${TAG}-session.png`) });
    await page.locator('.tv-turn').first().click();
    await page.waitForSelector('.tv-span-count');
    assert.ok(page.url().includes(`trace=${seeded.sessions['sess-bob-1'][0]}`));
  } finally { await context.close(); }
});

test(`[${TAG}] faults: 500, slow answer, server down — clear messages, then recovery`, async () => {
  const { page, context } = await open(`?experiment=${exp()}&timeout=3`);
  try {
    await rows(page).first().waitFor();
    for (const [mode, re] of [['500', /Internal Server Error.*HTTP 500/], ['down', /Could not reach the MLflow server/], ['slow', /did not answer within 3 s/]]) {
      srv.fault.mode = mode; srv.fault.ms = 6000;
      await page.click('text=Search');
      await page.fill('.tv-filter', `tag.env = 'demo'`); // a new query, so a new request
      await page.press('.tv-filter', 'Enter');
      if (mode === 'slow') await page.waitForSelector('.tv-loading-inline', { timeout: 2000 });
      await page.waitForSelector('.tv-error-panel', { timeout: 15000 });
      assert.match(await page.textContent('.tv-error-panel'), re);
      if (mode === '500') await page.screenshot({ path: path.join(SHOTS, `server-${TAG}-error.png`) });
      srv.fault.mode = null;
      await page.click('.tv-error-panel button:has-text("Retry")');
      await rows(page).first().waitFor({ timeout: 15000 });
      await page.fill('.tv-filter', '');
      await page.press('.tv-filter', 'Enter');
      await rows(page).first().waitFor();
    }
  } finally { srv.fault.mode = null; await context.close(); }
});

test(`[${TAG}] a failed tag write is rolled back when the server errors`, async () => {
  const trace = seeded.sessions['sess-alice-2'][0];
  const { page, context } = await open(`?experiment=${exp()}&trace=${trace}`);
  try {
    await page.waitForSelector('.tv-tag-editor');
    srv.fault.mode = '500';
    await page.fill('.tv-new-tag-key', 'lost');
    await page.fill('.tv-new-tag-value', 'never');
    await page.click('.tv-add-tag');
    await page.waitForSelector('.tv-tag-error');
    assert.equal(await page.locator('.tv-tag-editable[data-key="lost"]').count(), 0);
    srv.fault.mode = null;
    assert.equal(tagsViaPython(mlflow.url, trace).lost, undefined);
  } finally { srv.fault.mode = null; await context.close(); }
});

test(`[${TAG}] a tag changed elsewhere meanwhile is not overwritten blindly`, async () => {
  const trace = seeded.sessions['sess-bob-1'][0];
  const client = `import mlflow\nc = mlflow.MlflowClient(${JSON.stringify(mlflow.url)})\n`;
  python(client + `c.set_trace_tag(${JSON.stringify(trace)}, "owner", "ann")`);
  const { page, context } = await open(`?experiment=${exp()}&trace=${trace}`);
  try {
    await page.waitForSelector('.tv-tag-editable[data-key="owner"]');
    // Someone else changes the tag after this page read it.
    python(client + `c.set_trace_tag(${JSON.stringify(trace)}, "owner", "bob")`);
    await page.click('.tv-tag-editable[data-key="owner"] .tv-tag-value');
    await page.fill('.tv-tag-input', 'carol');
    await page.press('.tv-tag-input', 'Enter');
    await page.waitForSelector('.tv-tag-error');
    assert.match(await page.textContent('.tv-tag-error'),
      /Tag owner was changed on the server since this page read it \(you saw "ann", it is now "bob"\)/);
    assert.equal(tagsViaPython(mlflow.url, trace).owner, 'bob', 'the other change survives');
    assert.equal(await page.textContent('.tv-tag-editable[data-key="owner"] .tv-tag-value'), 'bob');
    await page.screenshot({ path: path.join(SHOTS, `server-${TAG}-tag-conflict.png`) });
    // Having seen it, the person can overwrite on purpose.
    await page.click('.tv-tag-editable[data-key="owner"] .tv-tag-value');
    await page.fill('.tv-tag-input', 'carol');
    await page.press('.tv-tag-input', 'Enter');
    await page.waitForFunction(() => document.querySelector('.tv-tag-ok')?.textContent.includes('Saved tag owner'));
    assert.equal(tagsViaPython(mlflow.url, trace).owner, 'carol');
  } finally { await context.close(); }
});

test(`[${TAG}] malformed answers (cut-off JSON, an HTML page) are reported, and retry recovers`, async () => {
  const { page, context } = await open(`?experiment=${exp()}`);
  try {
    await rows(page).first().waitFor();
    for (const [mode, re] of [['malformed', /answer could not be read/], ['html', /answer could not be read/]]) {
      srv.fault.mode = mode;
      await page.fill('.tv-filter', `tag.env = 'demo'`);
      await page.press('.tv-filter', 'Enter');
      await page.waitForSelector('.tv-error-panel', { timeout: 15000 });
      assert.match(await page.textContent('.tv-error-panel'), re);
      srv.fault.mode = null;
      await page.click('.tv-error-panel button:has-text("Retry")');
      await rows(page).first().waitFor({ timeout: 15000 });
      await page.fill('.tv-filter', '');
      await page.press('.tv-filter', 'Enter');
      await rows(page).first().waitFor();
    }
  } finally { srv.fault.mode = null; await context.close(); }
});

test(`[${TAG}] a page token that never ends: sessions stop paging, count each turn once, and say so`, async () => {
  srv.fault.mode = 'endless-token';
  const { page, context } = await open(`?experiment=${exp()}&view=sessions`);
  try {
    await page.waitForSelector('.tv-sessions .tv-list-row', { timeout: 30000 });
    assert.match(await page.textContent('.tv-paging-problem'), /Sessions may be incomplete: the server's next page held no new traces/);
    const n = Object.keys(seeded.sessions).length;
    assert.equal((await page.textContent('.tv-list-summary')).trim(), `${n} sessions`);
    const turns = await page.$$eval('.tv-sessions .tv-list-row', rs => rs.map(r => r.children[2].textContent));
    assert.deepEqual(turns.map(Number).sort(), Object.values(seeded.sessions).map(v => v.length).sort());
    await page.screenshot({ path: path.join(SHOTS, `server-${TAG}-endless-token.png`) });
  } finally { srv.fault.mode = null; await context.close(); }
});

test(`[${TAG}] a deleted trace's link says it is gone; the list still works`, async () => {
  const victim = python(`import mlflow\nc = mlflow.MlflowClient(${JSON.stringify(mlflow.url)})\n` +
    `t = c.search_traces(locations=[${JSON.stringify(exp())}], filter_string="trace.name = 'batch_job_000'")[0].info.trace_id\n` +
    `c.delete_traces(${JSON.stringify(exp())}, trace_ids=[t])\nprint(t)`);
  const { page, context } = await open(`?experiment=${exp()}&trace=${victim}`);
  try {
    await page.waitForSelector('.tv-error-panel', { timeout: 15000 });
    assert.match(await page.textContent('.tv-error-panel'), /not found[\s\S]*may have been deleted/i);
    await page.screenshot({ path: path.join(SHOTS, `server-${TAG}-deleted-trace.png`) });
    await page.goto(srv.url + `?experiment=${exp()}`);
    await rows(page).first().waitFor();
  } finally { await context.close(); }
});

test(`[${TAG}] config.json beside the viewer names the server; deep links and the start page follow it`, async () => {
  // A viewer on its own origin with no API proxy: only config.json points it at MLflow.
  const other = await serve({ config: { server: mlflow.url } });
  const context = await b.browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${other.url}?experiment=${exp()}`);
    await rows(page).first().waitFor({ timeout: 20000 });
    await page.goto(other.url);
    await page.waitForSelector('.tv-experiments .tv-list-row', { timeout: 20000 });
    assert.match(await page.textContent('.tv-crumbs'), new RegExp(mlflow.url.replace(/[.:/]/g, '\\$&')));
  } finally { await context.close(); await other.close(); }
});

test(`[${TAG}] a server that is not running: a clear message, and retry connects once it is there`, async () => {
  const { page, context } = await open(`?server=${encodeURIComponent('http://127.0.0.1:9')}`);
  try {
    await page.waitForSelector('.tv-error-panel', { timeout: 20000 });
    assert.match(await page.textContent('.tv-error-panel'), /Could not connect to the MLflow server[\s\S]*Could not reach/);
    // point the same page at the real server: Retry there connects
    await page.goto(srv.url + `?server=${encodeURIComponent(srv.url)}`);
    await page.waitForSelector('.tv-experiments .tv-list-row');
  } finally { await context.close(); }
});

test(`[${TAG}] a viewer on an origin the server does not allow gets a CORS explanation`, async () => {
  // 127.0.0.2 is loopback but not in MLflow's default allowed origins (localhost / 127.0.0.1).
  const other = await serve({ host: '127.0.0.2' });
  const context = await b.browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${other.url}?server=${encodeURIComponent(mlflow.url)}&experiment=${exp()}`);
    await page.waitForSelector('.tv-error-panel', { timeout: 20000 });
    assert.match(await page.textContent('.tv-error-panel'), /--cors-allowed-origins/);
  } finally { await context.close(); await other.close(); }
});
}
