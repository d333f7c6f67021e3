// Drives a real JupyterLab in headless Chromium: opens a notebook, runs all cells, waits for every
// <trace-view> output to render, saves, reloads the page (the reopened, trusted notebook) and checks again.
// Only 127.0.0.1 is reachable. Prints one JSON object on stdout.
//
//   node tests/jupyter/lab_run.mjs --url 'http://127.0.0.1:PORT/lab/tree/live.ipynb?token=T' --count 6 \
//       --shot target/screenshots/jupyter/lab.png [--timeout 150000]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const url = opt('--url');
const count = Number(opt('--count', '1'));
const shot = opt('--shot');
const timeout = Number(opt('--timeout', '150000'));
const t0 = Date.now();
const left = () => Math.max(1000, timeout - (Date.now() - t0));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const result = { blocked: [], pageErrors: [], steps: [] };
const step = (s) => result.steps.push(`${Date.now() - t0}ms ${s}`);

async function collect(page) {
  return page.evaluate(() => ({
    theme: document.body.getAttribute('data-jp-theme-light'),
    loaderScripts: document.querySelectorAll('script[data-trace-view-loader]').length,
    hints: [...document.querySelectorAll('.tvj-hint')].map((h) => h.textContent),
    elements: [...document.querySelectorAll('trace-view')].map((el) => {
      const r = el.shadowRoot;
      const q = (s) => (r && r.querySelector(s) ? r.querySelector(s).textContent.trim() : null);
      const rect = el.getBoundingClientRect();
      return {
        theme: el.getAttribute('theme'),
        rootTheme: r && r.querySelector('.tv-root') ? r.querySelector('.tv-root').className : null,
        spanCount: q('.tv-span-count'), listSummary: q('.tv-list-summary'), error: q('.tv-error-message'),
        names: r ? [...r.querySelectorAll('.tv-row .tv-name')].slice(0, 8).map((n) => n.textContent.trim()) : [],
        width: Math.round(rect.width), height: Math.round(rect.height),
      };
    }),
  }));
}

async function waitRendered(page, n) {
  // bounded: every <trace-view> shows a count, a list or an error, and there are at least n of them
  await page.waitForFunction((n) => {
    const els = [...document.querySelectorAll('trace-view')];
    return els.length >= n && els.every((el) => el.shadowRoot &&
      (el.shadowRoot.querySelector('.tv-span-count') || el.shadowRoot.querySelector('.tv-list-summary') || el.shadowRoot.querySelector('.tv-error-message')));
  }, n, { timeout: left(), polling: 250 });
}

try {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && u.hostname !== '127.0.0.1') {
      result.blocked.push(u.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  // per element: when it entered the page (the output arrived) and when the viewer reported `load`
  await page.addInitScript(() => {
    window.__tv = { added: new Map(), loads: [] };
    new MutationObserver((ms) => {
      for (const m of ms) for (const n of m.addedNodes) {
        if (n.nodeType !== 1) continue;
        const els = n.localName === 'trace-view' ? [n] : n.querySelectorAll ? [...n.querySelectorAll('trace-view')] : [];
        for (const el of els) if (!window.__tv.added.has(el)) window.__tv.added.set(el, performance.now());
      }
    }).observe(document, { childList: true, subtree: true });
    document.addEventListener('load', (e) => {
      const el = e.composedPath()[0];
      if (el && el.localName === 'trace-view') {
        const a = window.__tv.added.get(el);
        window.__tv.loads.push({ spans: e.detail && e.detail.spans, traces: e.detail && e.detail.traces,
          msAfterOutputArrived: a === undefined ? null : Math.round(performance.now() - a) });
      }
    }, true);
  });
  page.on('pageerror', (e) => result.pageErrors.push(String(e).slice(0, 400)));
  await page.goto(url, { timeout: left() });
  await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: left() });
  // the kernel is ready when the toolbar's kernel status says Idle
  await page.waitForFunction(() => {
    const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
    return s && /idle/i.test(s.getAttribute('data-status') || s.title || s.textContent || '');
  }, null, { timeout: left(), polling: 250 }).catch(() => step('no idle indicator found; going on'));
  step('notebook open');
  if (args.includes('--inspect-only')) {
    // an untrusted notebook: nothing is run; look at what the saved outputs show
    await page.waitForSelector('.jp-OutputArea-output', { timeout: left() });
    await page.waitForTimeout(3000);
    result.inspect = await collect(page);
    result.inspect.outputText = await page.evaluate(() => [...document.querySelectorAll('.jp-OutputArea-output')].map((o) => o.innerText));
    result.inspect.outputMime = await page.evaluate(() => [...document.querySelectorAll('.jp-OutputArea-output')].map((o) => o.getAttribute('data-mime-type')));
    if (shot) { fs.mkdirSync(path.dirname(shot), { recursive: true }); await page.screenshot({ path: shot }); }
    throw 'done';
  }
  // JupyterLab may ask which kernel to start, at any moment while it starts up: accept its proposal
  // (the notebook's python3) whenever that dialog shows
  const dialogs = setInterval(() => {
    page.locator('.jp-Dialog .jp-mod-accept').click({ timeout: 200 }).then(() => step('accepted a dialog'), () => {});
  }, 1000);
  result._stopDialogs = () => clearInterval(dialogs);
  await page.waitForTimeout(1500);
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
  step('run all');
  const tRun = Date.now();
  await waitRendered(page, count);
  result.renderedAfterRunAllMs = Date.now() - tRun;
  step('rendered');
  result.live = await collect(page);
  result.liveLoads = await page.evaluate(() => window.__tv.loads);
  if (shot) { fs.mkdirSync(path.dirname(shot), { recursive: true }); await page.screenshot({ path: shot, fullPage: false }); }
  const rerun = opt('--rerun-cell', null);
  if (rerun !== null) {
    // re-run one cell (e.g. the one whose output holds the viewer code): its outputs are replaced
    const cell = page.locator('.jp-Notebook .jp-Cell').nth(Number(rerun));
    const before = await cell.locator('trace-view').getAttribute('id');
    await cell.locator('.jp-InputPrompt').click();
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(([i, before]) => {
      const el = document.querySelectorAll('.jp-Notebook .jp-Cell')[i].querySelector('trace-view');
      return el && el.id !== before && el.shadowRoot && el.shadowRoot.querySelector('.tv-span-count');
    }, [Number(rerun), before], { timeout: left(), polling: 250 });
    step('re-ran cell ' + rerun);
    result.afterRerun = await collect(page);
  }
  // save, then reopen: the saved notebook is trusted (it was executed here), so its outputs run again
  await page.keyboard.press('Control+s');
  await page.waitForFunction(() => !document.querySelector('.jp-mod-dirty'), null, { timeout: 20000 }).catch(() => step('save: dirty flag still set'));
  await page.waitForTimeout(1000);
  step('saved');
  await page.reload({ timeout: left() });
  await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: left() });
  await waitRendered(page, count);
  step('reopened rendered');
  result.reopened = await collect(page);
  result.reopenedLoads = await page.evaluate(() => window.__tv.loads);
  if (shot) await page.screenshot({ path: shot.replace(/\.png$/, '-reopened.png'), fullPage: false });
} catch (e) {
  if (e !== 'done') result.fatal = String(e).slice(0, 1500);
  if (e === 'done') { /* inspect-only finished */ } else
  try {
    const pg = browser.contexts()[0].pages()[0];
    result.partial = await collect(pg);
    result.partialText = (await pg.evaluate(() => document.body.innerText)).slice(0, 3000);
    if (shot) await pg.screenshot({ path: shot.replace(/\.png$/, '-failed.png') });
  } catch {}
} finally {
  if (result._stopDialogs) { result._stopDialogs(); delete result._stopDialogs; }
  result.ms = Date.now() - t0;
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
