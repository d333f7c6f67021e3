// A small static server for the built viewer, on loopback only.
//   /              → dist/ (the built SPA)
//   /examples/...  → tests/fixtures/corpus/ (real MLflow exports), plus examples/index.json listing them
//   /generated/... → tests/fixtures/generated/ (large traces made by tests/gen_trace.py)
//   /bad/...       → tests/fixtures/bad/ (files that must produce clear errors)
//   with `mlflow`: /ajax-api/, /api/, /v1/ and /health are proxied to that MLflow server, so the viewer
//   and the API share one origin (the production setup: both behind one reverse proxy).
// Usage as a module: `const srv = await serve({ port: 0, mlflow })` → { url, close(), fault }.
//   `srv.fault.mode = '500' | 'slow' | 'down' | 'malformed' | 'html' | 'endless-token' | null` injects faults
//   into proxied API calls (tests only).
//   `csp`: a Content-Security-Policy header sent with HTML pages (tests the documented policy).
//   `config`: answered as /config.json (the deployment file naming the MLflow server).
// Usage as a script: `node tests/e2e/serve.mjs [port] [mlflow-url]` (prints the URL).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MOUNTS = [
  ['/examples/', path.join(ROOT, 'tests', 'fixtures', 'corpus')],
  ['/generated/', path.join(ROOT, 'tests', 'fixtures', 'generated')],
  ['/bad/', path.join(ROOT, 'tests', 'fixtures', 'bad')],
  ['/fixtures/', path.join(ROOT, 'tests', 'fixtures')],
  ['/', path.join(ROOT, 'dist')],
];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png',
  '.gz': 'application/gzip', '.jsonl': 'application/x-ndjson' };

function examplesIndex() {
  const dir = MOUNTS[0][1];
  return JSON.stringify(fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort());
}

const API_PREFIXES = ['/ajax-api/', '/api/', '/v1/', '/health', '/version'];

function proxy(req, res, target, fault) {
  if (fault.mode === 'down') { req.socket.destroy(); return; }
  if (fault.mode === '500') {
    res.writeHead(500, { 'content-type': 'text/plain' });
    return res.end('Internal Server Error (injected by the test harness)');
  }
  const forward = () => {
    const t = new URL(target);
    const up = http.request({ host: t.hostname, port: t.port, path: req.url, method: req.method,
      headers: { ...req.headers, host: t.host } }, r => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
    up.on('error', e => { res.writeHead(502, { 'content-type': 'text/plain' }); res.end('Bad gateway: ' + e.message); });
    req.pipe(up);
  };
  if (fault.mode === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"traces": [{"trace_id": "tr-cut-sh'); // cut off mid-answer
  }
  if (fault.mode === 'html') {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end('<!doctype html><html><body><h1>Corporate proxy: please sign in</h1></body></html>');
  }
  if (fault.mode === 'endless-token' && req.url.includes('/traces/search')) return endlessPages(req, res, target);
  if (fault.mode === 'slow') setTimeout(forward, fault.ms ?? 35000); else forward();
}

// A server whose paging never ends: every search answer carries a next page token, and a request
// with that token gets the first page again (the same traces, forever).
function endlessPages(req, res, target) {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    let body = Buffer.concat(chunks).toString('utf8');
    try { const j = JSON.parse(body); delete j.page_token; body = JSON.stringify(j); } catch { /* forward as is */ }
    const t = new URL(target);
    const up = http.request({ host: t.hostname, port: t.port, path: req.url, method: req.method,
      headers: { ...req.headers, host: t.host, 'content-length': Buffer.byteLength(body) } }, r => {
      const out = [];
      r.on('data', c => out.push(c));
      r.on('end', () => {
        let text = Buffer.concat(out).toString('utf8');
        try { const j = JSON.parse(text); j.next_page_token = 'endless-' + Math.random().toString(36).slice(2); text = JSON.stringify(j); } catch { /* as is */ }
        res.writeHead(r.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    up.on('error', e => { res.writeHead(502); res.end('Bad gateway: ' + e.message); });
    up.end(body);
  });
}

// Test routes for the size guard: a 1 GiB body declared up front, and 1 GiB streamed with no declared
// length (spaces, sent as fast as the client reads; stops when it hangs up).
const GIB = 1 << 30;
function huge(res, name) {
  if (name === 'declared-1gb.json') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': GIB });
    res.write('[');
    return; // the client refuses it from the header and hangs up
  }
  res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length
  const chunk = Buffer.alloc(1 << 20, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < GIB) {
      sent += chunk.length;
      if (!res.write(chunk)) return res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => { sent = GIB; });
  pump();
}

export function handler(req, res, opts = {}) {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/huge/')) return huge(res, url.pathname.slice('/huge/'.length));
  if (opts.config && url.pathname === '/config.json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(opts.config));
  }
  if (opts.mlflow && API_PREFIXES.some(p => url.pathname.startsWith(p))) return proxy(req, res, opts.mlflow, opts.fault);
  let pathname = decodeURIComponent(url.pathname);
  if (pathname === '/examples/index.json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(examplesIndex());
  }
  for (const [prefix, dir] of MOUNTS) {
    if (!pathname.startsWith(prefix)) continue;
    let rel = pathname.slice(prefix.length) || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir)) break; // no escaping the mount
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404, { 'content-type': 'text/plain' }); return res.end('not found: ' + pathname); }
      const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': st.size,
        'cache-control': 'no-cache' };
      if (opts.csp && file.endsWith('.html')) headers['content-security-policy'] = opts.csp;
      res.writeHead(200, headers);
      fs.createReadStream(file).pipe(res);
    });
    return;
  }
  res.writeHead(404); res.end();
}

export function serve({ port = 0, host = '127.0.0.1', mlflow = null, csp = null, config = null } = {}) {
  const fault = { mode: null, ms: null };
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => handler(req, res, { mlflow, fault, csp, config }));
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ url: `http://${host}:${p}/`, close: () => { server.closeAllConnections?.(); return new Promise(r => server.close(r)); }, server, fault });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || 0);
  const mlflow = process.argv[3] || null;
  serve({ port, mlflow }).then(({ url }) => {
    console.log(`trace-view is serving on ${url}`);
    if (mlflow) console.log(`  MLflow API proxied from ${mlflow}: open ${url} to browse its experiments and traces`);
    console.log(`  offline example: ${url}?src=examples/10_openai_autolog_tool_calls.json`);
  });
}
