// A small static server for the built viewer, on loopback only.
//   /              → dist/ (the built SPA)
//   /examples/...  → tests/fixtures/corpus/ (real MLflow exports), plus examples/index.json listing them
//   /generated/... → tests/fixtures/generated/ (large traces made by tests/gen_trace.py)
//   /bad/...       → tests/fixtures/bad/ (files that must produce clear errors)
// Usage as a module: `const srv = await serve({ port: 0 })` → { url, close() }.
// Usage as a script: `node tests/e2e/serve.mjs [port]` (prints the URL).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MOUNTS = [
  ['/examples/', path.join(ROOT, 'tests', 'fixtures', 'corpus')],
  ['/generated/', path.join(ROOT, 'tests', 'fixtures', 'generated')],
  ['/bad/', path.join(ROOT, 'tests', 'fixtures', 'bad')],
  ['/', path.join(ROOT, 'dist')],
];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png',
  '.gz': 'application/gzip', '.jsonl': 'application/x-ndjson' };

function examplesIndex() {
  const dir = MOUNTS[0][1];
  return JSON.stringify(fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort());
}

export function handler(req, res) {
  const url = new URL(req.url, 'http://localhost');
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
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-length': st.size,
        'cache-control': 'no-cache' });
      fs.createReadStream(file).pipe(res);
    });
    return;
  }
  res.writeHead(404); res.end();
}

export function serve({ port = 0, host = '127.0.0.1' } = {}) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ url: `http://${host}:${p}/`, close: () => new Promise(r => server.close(r)), server });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || 0);
  serve({ port }).then(({ url }) => console.log(`trace-view is serving on ${url}  (examples: ${url}?src=examples/01_all_span_types.json)`));
}
