// Opens a page (an nbconvert HTML export, or a JupyterLab URL) in headless Chromium and reports, for every
// <trace-view> element, what it rendered. Prints one JSON object on stdout.
//
//   node tests/jupyter/render_page.mjs --url file:///…/nb.html --shot out.png [--offline] [--timeout 60000]
//       [--open-lists] [--wait-count N]
//
// --offline: the browser context is offline and every request that is not file:/data:/blob: is aborted
// and listed in `blocked`. --open-lists: for each element showing a trace list, click the first row and
// report the span count of the opened trace. --wait-count: wait until at least N elements exist (for
// JupyterLab, which renders outputs after load).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const flag = (name) => args.includes(name);
const url = opt('--url');
const shot = opt('--shot');
const timeout = Number(opt('--timeout', '60000'));
const waitCount = Number(opt('--wait-count', '1'));
const theme = opt('--theme', null); // "dark": emulate JupyterLab's dark theme attribute on <body>

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const result = { url, elements: [], blocked: [], pageErrors: [], consoleErrors: [], hints: [] };
const t0 = Date.now();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (flag('--offline')) {
    await context.setOffline(true);
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (/^(file|data|blob):/.test(u)) return route.continue();
      result.blocked.push(u);
      return route.abort('internetdisconnected');
    });
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => result.pageErrors.push(String(e).slice(0, 500)));
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text().slice(0, 300)); });
  // when each element reports `load` (the viewer rendered its data), relative to navigation start
  await page.addInitScript(() => {
    window.__tvLoads = [];
    document.addEventListener('load', (e) => {
      const t = e.composedPath()[0];
      if (t && t.localName === 'trace-view') window.__tvLoads.push({ id: t.id, t: performance.now(), spans: e.detail && e.detail.spans });
    }, true);
  });
  await page.goto(url, { waitUntil: 'load', timeout });
  if (theme === 'dark') await page.evaluate(() => document.body.setAttribute('data-jp-theme-light', 'false'));
  const deadline = Date.now() + timeout;
  // wait until every element has rendered something (count, list summary or error), bounded in time
  let state;
  while (true) {
    state = await page.evaluate(() => {
      const els = [...document.querySelectorAll('trace-view')];
      return {
        n: els.length,
        done: els.filter((el) => {
          const r = el.shadowRoot;
          return r && (r.querySelector('.tv-span-count') || r.querySelector('.tv-list-summary') || r.querySelector('.tv-error-message'));
        }).length,
        defined: !!customElements.get('trace-view'),
      };
    });
    if (state.n >= waitCount && state.done === state.n) break;
    if (Date.now() > deadline) { result.timedOut = state; break; }
    await page.waitForTimeout(200);
  }
  result.defined = state.defined;
  result.elements = await page.evaluate(() => [...document.querySelectorAll('trace-view')].map((el) => {
    const r = el.shadowRoot;
    const q = (s) => (r && r.querySelector(s) ? r.querySelector(s).textContent.trim() : null);
    const rect = el.getBoundingClientRect();
    const stat = el.querySelector('.tvj-static');
    return {
      id: el.id,
      theme: el.getAttribute('theme'),
      rootTheme: r && r.querySelector('.tv-root') ? r.querySelector('.tv-root').className : null,
      spanCount: q('.tv-span-count'),
      listSummary: q('.tv-list-summary'),
      error: q('.tv-error-message'),
      names: r ? [...r.querySelectorAll('.tv-row .tv-name')].slice(0, 12).map((n) => n.textContent.trim()) : [],
      listRows: r ? r.querySelectorAll('.tv-list-row').length : 0,
      width: Math.round(rect.width),
      height: Math.round(rect.height),
      staticVisible: !!(stat && stat.getClientRects().length),
    };
  }));
  result.hints = await page.evaluate(() => [...document.querySelectorAll('.tvj-hint')].map((h) => h.textContent));
  result.loads = await page.evaluate(() => window.__tvLoads);
  result.loaderScripts = await page.evaluate(() => document.querySelectorAll('script[data-trace-view-loader]').length);
  if (shot) {
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
  }
  if (flag('--open-lists')) {
    for (const [i, e] of result.elements.entries()) {
      if (!e.listSummary) continue;
      const el = page.locator('trace-view').nth(i);
      await el.locator('.tv-list-row').first().click();
      try {
        await page.waitForFunction((idx) => {
          const r = document.querySelectorAll('trace-view')[idx].shadowRoot;
          return r.querySelector('.tv-span-count');
        }, i, { timeout: 15000 });
        e.openedSpanCount = await el.locator('.tv-span-count').first().textContent();
        e.openedNames = (await el.locator('.tv-row .tv-name').allTextContents()).slice(0, 12);
      } catch (err) { e.openedError = String(err).slice(0, 300); }
    }
    if (shot) await page.screenshot({ path: shot.replace(/\.png$/, '-opened.png'), fullPage: true });
  }
} catch (e) {
  result.fatal = String(e).slice(0, 1000);
} finally {
  result.ms = Date.now() - t0;
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
