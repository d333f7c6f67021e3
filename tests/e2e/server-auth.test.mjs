// End to end against MLflow's basic-auth app (`mlflow server --app-name basic-auth`): the viewer works
// when the browser supplies credentials, shows "Sign in required" on 401 and "Access denied" on 403,
// and never puts credentials in URLs or browser storage (it never sees them: the browser's HTTP Basic
// handling does). Seeded by the real SDK with MLFLOW_TRACKING_USERNAME/PASSWORD.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';
import { startMlflow, seed, python } from './mlflow.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'target', 'screenshots', 'e2e');
const ADMIN = { username: 'admin', password: 'Adm1n-e2e-Passw0rd!' };
const READER = { username: 'reader', password: 'Read3r-e2e-Passw0rd!' };
let mlflow, srv, b, seeded, authDir;

const basic = ({ username, password }) => 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
async function adminApi(pathname, body) {
  const r = await fetch(mlflow.url + pathname, { method: 'POST', body: JSON.stringify(body),
    headers: { authorization: basic(ADMIN), 'content-type': 'application/json' }, signal: AbortSignal.timeout(30000) });
  assert.ok(r.ok, `${pathname}: ${r.status} ${await r.text()}`);
}

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  authDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-auth-'));
  const ini = path.join(authDir, 'basic_auth.ini');
  fs.writeFileSync(ini, ['[mlflow]', 'default_permission = READ', `database_uri = sqlite:///${path.join(authDir, 'auth.db')}`,
    `admin_username = ${ADMIN.username}`, `admin_password = ${ADMIN.password}`,
    'authorization_function = mlflow.server.auth:authenticate_request_basic_auth', ''].join('\n'));
  mlflow = await startMlflow({ extraArgs: ['--app-name', 'basic-auth'],
    env: { MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: 'e2e-' + Math.random().toString(36).slice(2) } });
  const creds = { MLFLOW_TRACKING_USERNAME: ADMIN.username, MLFLOW_TRACKING_PASSWORD: ADMIN.password };
  seeded = seed(mlflow.url, { extra: 2, largeSpans: 0, env: creds });
  // A second user who may not read the demo experiment.
  await adminApi('/api/2.0/mlflow/users/create', READER);
  await adminApi('/api/3.0/mlflow/users/permissions/grant', { username: READER.username,
    resource_type: 'experiment', resource_id: seeded.experiment_id, permission: 'DENY' });
  srv = await serve({ mlflow: mlflow.url });
  b = await launch();
}, { timeout: 300000 });

after(async () => {
  await b?.browser.close();
  await srv?.close();
  await mlflow?.stop();
  if (authDir) fs.rmSync(authDir, { recursive: true, force: true });
});

/** A page whose browser context answers HTTP Basic challenges with `creds` (or not at all). */
async function open(query, creds) {
  const context = await b.browser.newContext({ viewport: { width: 1400, height: 900 },
    ...(creds ? { httpCredentials: creds } : {}) });
  const page = await context.newPage();
  const urls = [];
  page.on('request', r => urls.push(r.url()));
  await page.goto(srv.url + query);
  return { page, context, urls };
}

/** Nothing the page kept or asked for holds a password. */
async function assertNoCredentialsKept(page, urls) {
  const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
  for (const secret of [ADMIN.password, READER.password, 'wrong-password', basic(ADMIN).slice(6), basic(READER).slice(6)]) {
    assert.ok(!stored.includes(secret), 'a credential is in browser storage');
    assert.ok(!urls.some(u => u.includes(secret)), 'a credential is in a request URL');
    assert.ok(!page.url().includes(secret), 'a credential is in the page URL');
  }
}

// In a real browser the server's 401 makes the browser ask for credentials; headless, a context with
// wrong credentials stands in for a person who dismisses that prompt or mistypes the password.
test('refused credentials: "Sign in required" with a way to sign in, not a blank page or the offline landing', async () => {
  const { page, context, urls } = await open('', { username: 'admin', password: 'wrong-password' });
  try {
    await page.waitForSelector('.tv-error-panel', { timeout: 20000 });
    assert.equal((await page.textContent('.tv-error-panel h2')).trim(), 'Sign in required');
    assert.match(await page.textContent('.tv-error-message'), /Sign-in required \(401\)/);
    assert.match(await page.getAttribute('.tv-sign-in', 'href'), /ajax-api\/2\.0\/mlflow\/experiments\/search/);
    await page.screenshot({ path: path.join(SHOTS, 'server-auth-sign-in.png') });
    await assertNoCredentialsKept(page, urls);
  } finally { await context.close(); }
});

test('with credentials the browser supplies: experiments, traces, a trace, and a tag edit work', async () => {
  const trace = seeded.sessions['sess-alice-1'][0];
  const { page, context, urls } = await open('', ADMIN);
  try {
    await page.waitForSelector('.tv-experiments .tv-list-row', { timeout: 20000 });
    await page.goto(srv.url + `?experiment=${seeded.experiment_id}`);
    await page.waitForSelector('.tv-traces .tv-list-row');
    await page.goto(srv.url + `?experiment=${seeded.experiment_id}&trace=${trace}`);
    await page.waitForSelector('.tv-span-count');
    await page.fill('.tv-new-tag-key', 'checked_by');
    await page.fill('.tv-new-tag-value', 'admin via basic auth');
    await page.click('.tv-add-tag');
    await page.waitForSelector('.tv-tag-ok');
    const tags = JSON.parse(python(`import json, mlflow\nc = mlflow.MlflowClient(${JSON.stringify(mlflow.url)})\n` +
      `print(json.dumps(c.get_trace(${JSON.stringify(trace)}).info.tags))`,
    { MLFLOW_TRACKING_URI: mlflow.url, MLFLOW_TRACKING_USERNAME: ADMIN.username, MLFLOW_TRACKING_PASSWORD: ADMIN.password }));
    assert.equal(tags.checked_by, 'admin via basic auth');
    await assertNoCredentialsKept(page, urls);
  } finally { await context.close(); }
});

test('a signed-in user without permission on the experiment gets "Access denied"', async () => {
  const { page, context, urls } = await open(`?experiment=${seeded.experiment_id}`, READER);
  try {
    await page.waitForSelector('.tv-error-panel', { timeout: 20000 });
    assert.equal((await page.textContent('.tv-error-panel h2')).trim(), 'Access denied');
    assert.match(await page.textContent('.tv-error-message'), /Access denied \(403: Permission denied\)/);
    await page.screenshot({ path: path.join(SHOTS, 'server-auth-denied.png') });
    await assertNoCredentialsKept(page, urls);
  } finally { await context.close(); }
});
