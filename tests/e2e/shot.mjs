// Ad-hoc screenshot: node tests/e2e/shot.mjs <url> <out.png> [click-selector] [width] [height]
import { launch } from './browser.mjs';
const [url, out, click, w = 1400, h = 860] = process.argv.slice(2);
const { browser, page, log } = await launch({ width: Number(w), height: Number(h) });
const t0 = Date.now();
await page.goto(url);
await page.waitForSelector('.tv-span-count, .tv-list-summary, .tv-error-panel, .tv-landing', { timeout: 30000 });
console.log('ready after', Date.now() - t0, 'ms');
if (click) { await page.click(click); await page.waitForTimeout(200); }
await page.screenshot({ path: out });
console.log(log.join('\n'));
await browser.close();
