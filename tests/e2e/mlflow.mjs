// Test harness for a real `mlflow server` (from the project's venv) on a free loopback port, with a
// sqlite (or PostgreSQL) backend store in a temp dir, seeded by the real MLflow SDK
// (scripts/seed_demo.py). Every wait is bounded in time.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = process.env.TRACE_VIEW_TOOLS || path.join(os.homedir(), '.cache', 'trace-view');
export const PYTHON = path.join(TOOLS, 'venv', 'bin', 'python');
const MLFLOW = path.join(TOOLS, 'venv', 'bin', 'mlflow');

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, host, () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up within ${seconds}s`);
}

/** Starts mlflow server; `backendUri` defaults to a fresh sqlite file. Returns { url, dir, stop() }. */
export async function startMlflow({ backendUri, extraArgs = [], env = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-mlflow-'));
  const port = await freePort();
  const uri = backendUri || `sqlite:///${path.join(dir, 'mlflow.db')}`;
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const proc = spawn(MLFLOW, ['server', '--backend-store-uri', uri, '--artifacts-destination', path.join(dir, 'artifacts'),
    '--host', '127.0.0.1', '--port', String(port), '--workers', '1', ...extraArgs], { stdio: ['ignore', log, log], detached: true, env: { ...process.env, ...env } });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/health`, 90);
  } catch (e) {
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
    throw new Error(`${e.message}\n${fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-3000)}`);
  }
  return {
    url, dir,
    stop: () => new Promise(resolve => {
      try { process.kill(-proc.pid, 'SIGTERM'); } catch { return resolve(); }
      const t = setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } resolve(); }, 5000);
      proc.on('exit', () => { clearTimeout(t); resolve(); });
    }),
  };
}

/** Seeds the server through the real SDK; returns what scripts/seed_demo.py reports. */
export function seed(url, { extra = 30, largeSpans = 1000, env = {} } = {}) {
  const out = execFileSync(PYTHON, [path.join(ROOT, 'scripts', 'seed_demo.py'), '--tracking-uri', url,
    '--extra', String(extra), '--large-spans', String(largeSpans)], { encoding: 'utf8', timeout: 300000, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const line = out.trim().split('\n').filter(l => l.startsWith('{')).pop();
  return JSON.parse(line);
}

/** Reads a trace's tags back through MLflow's own Python client. */
export function tagsViaPython(url, traceId) {
  const code = `import json, mlflow\nc = mlflow.MlflowClient(${JSON.stringify(url)})\nprint(json.dumps(c.get_trace(${JSON.stringify(traceId)}).info.tags))`;
  return JSON.parse(execFileSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 60000 }).trim().split('\n').pop());
}

/** Runs Python in the project's venv (MLflow's own client) and returns its last line of output. */
export function python(code, env = {}) {
  return execFileSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 60000, env: { ...process.env, ...env } }).trim().split('\n').pop();
}
