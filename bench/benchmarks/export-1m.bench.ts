import { spawn } from 'node:child_process';
import pg from 'pg';
import type { Benchmark } from '../lib/benchmark.js';
import { commonFields } from '../lib/benchmark.js';
import { clientBaseFixture, startClientBaseServers } from '../lib/client-base.js';
import { sampleRss } from '../lib/processes.js';
import type { BenchResult, Target as PassTarget } from '../lib/results.js';
import { round } from '../lib/stats.js';

/** The export keeps up with at least half of what a raw COPY of the same rows writes. */
const TARGET: PassTarget = { field: 'ratio', op: '>=', threshold: 0.5 };
const COLUMNS = ['id', 'name', 'position', 'phone', 'email', 'ownerId', 'tags', 'createdAt', 'updatedAt'];

interface Run {
  ms: number;
  rows: number;
  bytes: number;
  peakRssMb: number | undefined;
}

/** Streams one export from Rapport, counting rows (CSV lines) and bytes as they arrive, with the server's peak RSS. */
async function exportOnce(url: string, cookie: string, csrf: string, format: 'csv' | 'xlsx', pid: number | undefined): Promise<Run> {
  const rss = sampleRss(pid, 100);
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/exports`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ object: 'contact', format, columns: COLUMNS }),
  });
  if (response.status !== 200 || !response.body) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (format === 'csv') for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const ms = performance.now() - started;
  return { ms, rows: format === 'csv' ? lines - 1 : Number(response.headers.get('x-export-rows')), bytes, peakRssMb: rss.stop() };
}

/**
 * The ceiling: `COPY (SELECT …) TO STDOUT` of the same rows and columns (owner by name, phones and e-mails joined, in
 * the list's default order) through psql, its output drained and counted.
 */
function copyOnce(url: string, workspaceId: string): Promise<Run> {
  const query = `COPY (
    SELECT c.id, c.full_name, c.position,
      (SELECT string_agg(p->>'number', '; ') FROM jsonb_array_elements(c.phones) p),
      (SELECT string_agg(e->>'email', '; ') FROM jsonb_array_elements(c.emails) e),
      u.name, array_to_string(c.tags, ', '), c.created_at, c.updated_at
    FROM contact c LEFT JOIN app_user u ON u.workspace_id = c.workspace_id AND u.id = c.owner_id
    WHERE c.workspace_id = '${workspaceId}' AND c.deleted_at IS NULL
    ORDER BY c.updated_at DESC, c.id DESC) TO STDOUT WITH (FORMAT csv, HEADER)`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('psql', [url, '-X', '-q', '-c', query.replace(/\s+/g, ' ')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - started, rows: lines - 1, bytes, peakRssMb: undefined }) : reject(new Error(`psql exited with ${code}`))));
  });
}

/**
 * export-1m: the whole contacts list (1M on PostgreSQL) exported to CSV and to XLSX through POST /api/v1/exports by
 * the real server, streamed; rows/s and the server's peak RSS. Ceiling: a raw COPY of the same rows in the same run.
 * The head of sales (who reads every contact) is given the export right on contacts in the benchmark's database.
 */
export const export1m: Benchmark = {
  name: 'export-1m',
  description: 'POST /api/v1/exports (all contacts, CSV and XLSX, streamed): rows/s and peak RSS vs a raw COPY … TO STDOUT',
  async run(ctx) {
    if (ctx.backend.kind !== 'postgres') throw new Error('export-1m compares with COPY … TO STDOUT through psql: run it on PostgreSQL (DATABASE_URL)');
    const fixture = await clientBaseFixture(ctx, 'plain');
    if (fixture.target.kind !== 'postgres') throw new Error('export-1m needs a PostgreSQL fixture');
    const url = fixture.target.url;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        `UPDATE role SET permissions = jsonb_set(permissions, '{contact,export}', '"all"') WHERE workspace_id = $1 AND id = (SELECT role_id FROM app_user WHERE workspace_id = $1 AND email = $2)`,
        [fixture.workspaceId, fixture.login],
      );
    } finally {
      await client.end();
    }
    const { servers } = await startClientBaseServers(ctx, fixture, 'export-1m', async () => undefined);
    try {
      ctx.log('COPY (ceiling) …');
      const copy = await copyOnce(url, fixture.workspaceId);
      ctx.log(`  ${copy.rows.toLocaleString('en')} rows in ${round(copy.ms / 1000, 1)} s`);
      ctx.log('export CSV …');
      const csv = await exportOnce(servers.rapport.url, servers.cookie, servers.csrfToken, 'csv', servers.rapport.pid);
      ctx.log(`  ${csv.rows.toLocaleString('en')} rows in ${round(csv.ms / 1000, 1)} s, peak RSS ${round(csv.peakRssMb ?? 0, 0)} MB`);
      ctx.log('export XLSX …');
      const xlsx = await exportOnce(servers.rapport.url, servers.cookie, servers.csrfToken, 'xlsx', servers.rapport.pid);
      ctx.log(`  ${xlsx.rows.toLocaleString('en')} rows in ${round(xlsx.ms / 1000, 1)} s, peak RSS ${round(xlsx.peakRssMb ?? 0, 0)} MB`);
      if (csv.rows !== copy.rows) throw new Error(`the CSV export held ${csv.rows} rows, COPY ${copy.rows}`);
      const rate = (run: Run) => round(run.rows / (run.ms / 1000), 0);
      const ratio = round(rate(csv) / rate(copy), 3);
      const peak = Math.max(csv.peakRssMb ?? 0, xlsx.peakRssMb ?? 0);
      const result: BenchResult = {
        name: 'export-1m',
        metric: 'rows/s, POST /api/v1/exports of every contact to CSV (streamed, the list\'s default order)',
        value: rate(csv),
        unit: 'rows/s',
        ceiling: rate(copy),
        ratio,
        ratioDefinition: 'export CSV rows/s ÷ COPY (SELECT the same columns, owner by name) TO STDOUT rows/s',
        p50: 0,
        p95: 0,
        p99: 0,
        percentileUnit: 'n/a (one export per format)',
        dataset: fixture.dataset,
        ...commonFields(ctx),
        target: TARGET,
        pass: ratio >= TARGET.threshold,
        samples: 1,
        rssMb: round(peak, 0),
        details: {
          columns: COLUMNS,
          csv: { rows: csv.rows, seconds: round(csv.ms / 1000, 2), rowsPerSecond: rate(csv), megabytes: round(csv.bytes / 1048576, 1), peakRssMb: round(csv.peakRssMb ?? 0, 0) },
          xlsx: { rows: xlsx.rows, seconds: round(xlsx.ms / 1000, 2), rowsPerSecond: rate(xlsx), megabytes: round(xlsx.bytes / 1048576, 1), peakRssMb: round(xlsx.peakRssMb ?? 0, 0), ratioToCopy: round(rate(xlsx) / rate(copy), 3) },
          copy: { rows: copy.rows, seconds: round(copy.ms / 1000, 2), rowsPerSecond: rate(copy), megabytes: round(copy.bytes / 1048576, 1) },
        },
      };
      return result;
    } finally {
      await servers.stop();
    }
  },
};
