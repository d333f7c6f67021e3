// A throwaway PostgreSQL server (Debian's postgresql package) on a free loopback port, for the
// scale-out run of the server suite. Runs as the `postgres` OS user (initdb refuses root).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './mlflow.mjs';

function pgBin() {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (fs.existsSync(path.join(base, v, 'bin', 'initdb'))) return path.join(base, v, 'bin');
  throw new Error('PostgreSQL is not installed (apt-get install postgresql; scripts/setup.sh does it)');
}

const asPostgres = (cmd, args, opts = {}) =>
  execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', timeout: 120000, ...opts });

export async function startPostgres() {
  const bin = pgBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const port = await freePort();
  const proc = spawn('runuser', ['-u', 'postgres', '--', path.join(bin, 'postgres'), '-D', data, '-p', String(port),
    '-h', '127.0.0.1', '-k', dir], { stdio: 'ignore', detached: true });
  const deadline = Date.now() + 60000;
  for (;;) {
    try { asPostgres(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]); break; } catch (e) {
      if (Date.now() > deadline) throw new Error('PostgreSQL did not start within 60 s');
      await new Promise(r => setTimeout(r, 300));
    }
  }
  asPostgres(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), 'mlflow']);
  return {
    uri: `postgresql+psycopg2://postgres@127.0.0.1:${port}/mlflow`,
    stop: () => new Promise(resolve => {
      try { process.kill(-proc.pid, 'SIGINT'); } catch { return resolve(); }
      const t = setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } resolve(); }, 10000);
      proc.on('exit', () => { clearTimeout(t); fs.rmSync(dir, { recursive: true, force: true }); resolve(); });
    }),
  };
}
