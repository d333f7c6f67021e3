import { launch } from './browser.mjs';
const [url, out, wait, click] = process.argv.slice(2);
const { browser, page, log } = await launch({ width: 1400, height: 860 });
await page.goto(url);
try { await page.waitForSelector(wait, { timeout: 15000 }); } catch (e) { console.log('wait failed', wait); }
if (click) { await page.click(click); await page.waitForTimeout(800); }
await page.screenshot({ path: out });
console.log(page.url());
console.log(log.filter(l => !l.includes('integrity')).join('\n'));
await browser.close();
