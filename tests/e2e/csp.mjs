// The Content-Security-Policy the SPA is tested under (README "Security"). The only inline script is
// trunk's loader in dist/index.html, allowed by its hash.   node tests/e2e/csp.mjs  → prints the policy.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function documentedCsp(indexHtml = path.join(ROOT, 'dist', 'index.html')) {
  const html = fs.readFileSync(indexHtml, 'utf8');
  const inline = html.match(/<script type="module">([\s\S]*?)<\/script>/)[1];
  const hash = crypto.createHash('sha256').update(inline).digest('base64');
  return `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash}'; style-src 'self' 'unsafe-inline'; ` +
    `img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(documentedCsp(process.argv[2]));
