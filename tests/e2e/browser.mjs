// Launches Debian's Chromium through playwright-core (never a downloaded browser), headless, with the
// flags this machine needs, and collects console errors and page errors for the tests to assert on.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function launch({ width = 1400, height = 860 } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const log = [];
  const errors = [];
  page.on('console', m => { log.push(`[console.${m.type()}] ${m.text().slice(0, 300)}`); if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => { log.push(`[pageerror] ${e}`); errors.push(String(e)); });
  page.on('dialog', d => { errors.push(`unexpected dialog: ${d.message()}`); d.dismiss(); });
  return { browser, context, page, log, errors };
}
