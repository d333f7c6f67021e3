// The <trace-view> custom element on a plain page (dist/embed.html, one script tag): several elements,
// each input kind, attribute changes, events, style isolation, and one wasm load per page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'target', 'screenshots', 'e2e');
let srv, b;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  srv = await serve();
  b = await launch();
});
after(async () => { await b?.browser.close(); await srv?.close(); });

async function page() {
  const context = await b.browser.newContext({ viewport: { width: 1300, height: 1000 } });
  const p = await context.newPage();
  const errors = [], wasmLoads = [];
  p.on('pageerror', e => errors.push(String(e)));
  p.on('request', r => { if (r.url().endsWith('.wasm')) wasmLoads.push(r.url()); });
  return { p, context, errors, wasmLoads };
}

const count = (p, id) => p.locator(`#${id} .tv-span-count`).textContent({ timeout: 20000 });

test('the example page shows each way of embedding, with one wasm load', async () => {
  const { p, context, errors, wasmLoads } = await page();
  try {
    await p.goto(srv.url + 'embed.html');
    assert.equal(await count(p, 'from-src'), '5 spans');
    assert.equal(await count(p, 'inline'), '2 spans');
    assert.equal(await count(p, 'from-property'), '3 spans');
    assert.equal(wasmLoads.length, 1, `wasm fetched ${wasmLoads.length} times`);
    // options: view="tree" hides the timeline, theme="dark" applies
    assert.equal(await p.locator('#inline .tv-cell-time').first().isVisible(), false);
    assert.ok(await p.locator('#inline .tv-root.tv-theme-dark').count() === 1);
    await p.screenshot({ path: path.join(SHOTS, 'element-page.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('span-select fires with the span id and name; elements are independent', async () => {
  const { p, context } = await page();
  try {
    await p.goto(srv.url + 'embed.html');
    await count(p, 'from-src');
    await count(p, 'inline');
    const events = p.evaluate(() => new Promise(resolve => {
      document.getElementById('from-src').addEventListener('span-select', e => resolve({ ...e.detail }), { once: true });
    }));
    await p.locator('#from-src .tv-row', { hasText: 'get_weather' }).first().click();
    const detail = await events;
    assert.equal(detail.name, 'get_weather');
    assert.match(detail.spanId, /^[0-9a-f]{16}$/);
    // the other element's selection did not change
    assert.equal(await p.locator('#inline .tv-span-name').textContent(), 'inline_example');
    // the host page's URL is not touched by an element
    assert.ok(!p.url().includes('span='));
  } finally { await context.close(); }
});

test('changing an attribute or the property re-renders; load and error events fire', async () => {
  const { p, context } = await page();
  try {
    await p.goto(srv.url + 'embed.html');
    await count(p, 'from-src');
    const loaded = p.evaluate(() => new Promise(resolve => {
      document.getElementById('from-src').addEventListener('load', e => resolve({ ...e.detail }), { once: true });
    }));
    await p.evaluate(() => document.getElementById('from-src').setAttribute('src', 'examples/01_all_span_types.json'));
    const d = await loaded;
    assert.equal(d.spans, 13);
    assert.equal(d.traces, 1);
    assert.match(d.traceId, /^tr-[0-9a-f]{32}$/);
    await p.waitForFunction(() => document.querySelector('#from-src').shadowRoot.querySelector('.tv-span-count')?.textContent === '13 spans');
    await p.evaluate(() => { document.getElementById('from-property').trace = '{"spans": []}'; });
    await p.waitForFunction(() => document.querySelector('#from-property').shadowRoot.querySelector('.tv-span-count')?.textContent === '0 spans');
    const failed = p.evaluate(() => new Promise(resolve => {
      document.getElementById('inline').addEventListener('error', e => resolve(e.detail.message), { once: true });
    }));
    await p.evaluate(() => { document.getElementById('inline').trace = '{"experiments": []}'; });
    assert.match(await failed, /MLflow experiment/);
    assert.match(await p.locator('#inline .tv-error-message').textContent(), /not a trace/);
  } finally { await context.close(); }
});

test('a hostile host stylesheet does not break the element, and its CSS does not leak out', async () => {
  const { p, context } = await page();
  try {
    await p.goto(srv.url + 'embed.html');
    await count(p, 'from-src');
    await p.addStyleTag({ content: '* { all: unset !important; } div, span, button { color: red !important; font-size: 40px !important; }' });
    await p.waitForTimeout(100);
    const row = await p.locator('#from-src .tv-row').first().evaluate(el => ({
      h: el.getBoundingClientRect().height, font: getComputedStyle(el).fontSize, color: getComputedStyle(el.querySelector('.tv-name')).color,
    }));
    assert.equal(row.h, 26);
    assert.equal(row.font, '13px');
    assert.notEqual(row.color, 'rgb(255, 0, 0)');
    // the viewer's classes do not style the host page
    const leak = await p.evaluate(() => {
      const d = document.createElement('div'); d.className = 'tv-row'; document.body.appendChild(d);
      return getComputedStyle(d).position;
    });
    assert.notEqual(leak, 'absolute');
  } finally { await context.close(); }
});

test('a page made of nothing but a script tag and the element works', async () => {
  const { p, context } = await page();
  try {
    // served page, built on the fly: the README's minimal usage
    await p.route('**/minimal.html', route => route.fulfill({ contentType: 'text/html', body:
      '<script type="module" src="./trace-view.js"></script><trace-view src="examples/60_large_100_spans.json" height="400"></trace-view>' }));
    await p.goto(srv.url + 'minimal.html');
    assert.equal(await p.locator('trace-view .tv-span-count').textContent({ timeout: 20000 }), '100 spans');
  } finally { await context.close(); }
});

test('a trace property set before the element is defined is not lost', async () => {
  const { p, context, errors } = await page();
  try {
    // The page sets el.trace synchronously, before the loader has even been fetched.
    const trace = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'corpus', '02_error_nested_caught.json'), 'utf8');
    await p.route('**/early.html', route => route.fulfill({ contentType: 'text/html', body:
      `<trace-view id="early" height="300"></trace-view>
       <script>document.getElementById('early').trace = ${JSON.stringify(trace)};</script>
       <script type="module" src="./trace-view.js"></script>` }));
    await p.goto(srv.url + 'early.html');
    assert.equal(await p.locator('#early .tv-span-count').textContent({ timeout: 20000 }), '3 spans');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});
