import { spawn } from 'node:child_process';
import { Faker, base as baseLocale, en, ru } from '@faker-js/faker';
import pg from 'pg';
import { openRuntime } from '../../packages/server/src/app-runtime.js';
import { loadConfig } from '../../packages/server/src/infra/config.js';
import { newId } from '../../packages/server/src/infra/ids.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import { normalizeContactPoints, searchEmails, searchName, searchPhones } from '../../packages/server/src/modules/client-record/client-record.service.js';
import { readRow, type RowDraft } from '../../packages/server/src/modules/import/import-row.js';
import { describeDataset, generateDataset } from '../dataset/index.js';
import { personEmail, personName, type PersonName, type RecordLocale } from '../dataset/people.js';
import { targetEnv } from './backend.js';
import { childEnv, commonFields, type Benchmark, type BenchContext } from './benchmark.js';
import { freePort, sampleRss, startServedChild, stopChild } from './processes.js';
import type { BenchResult, Target as PassTarget } from './results.js';
import { round } from './stats.js';

/** The issue's budget: at least 25,000 rows a second. */
const TARGET: PassTarget = { field: 'value', op: '>=', threshold: 25_000 };
const HEADERS = ['ФИО', 'Должность', 'Мобильный', 'Рабочий телефон', 'E-mail', 'Компания', 'ИНН компании', 'Теги'];
const MAPPING = ['fullName', 'position', 'phone', 'phone', 'email', 'companyName', 'companyInn', 'tags'];
/** Shares of the file's rows: a person already in the base (by phone or e-mail), a person met earlier in the file. */
const EXISTING_SHARE = 0.05;
const IN_FILE_SHARE = 0.05;
const POLL_MS = 500;

/** RFC 4180 as a file from another system has it (no spreadsheet-formula guard: "+7 …" stays as typed); null is empty. */
const csvRow = (cells: readonly (string | null)[]) => `${cells.map((cell) => (cell === null ? '' : /[",\r\n]/.test(cell) || cell === '' ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')}\n`;

interface Base {
  workspaceId: string;
  login: string;
  password: string;
  dataset: string;
  url: string;
  ownerId: string;
  teamId: string | null;
  /** Live contacts' phones (E.164) and e-mails, to draw duplicates from. */
  phones: string[];
  emails: string[];
  /** Every live contact's keys and company's INN / lower-cased name: what the import's lookups find. */
  knownPhones: Set<string>;
  knownEmails: Set<string>;
  companies: { inn: string | null; name: string }[];
  /** The company an INN or a lower-cased name finds (the first created, as the import's lookup orders them). */
  companyByInn: Map<string, string>;
  companyByName: Map<string, string>;
}

/** The phone as people type it in a Russian file: with 8 and brackets, +7 with spaces, ten bare digits, dashes. */
function typed(faker: Faker, e164: string): string {
  const d = e164.slice(2);
  const [a, b, c, e] = [d.slice(0, 3), d.slice(3, 6), d.slice(6, 8), d.slice(8, 10)];
  return faker.helpers.arrayElement([`8 (${a}) ${b}-${c}-${e}`, `+7 ${a} ${b}${c}${e}`, d, `+7(${a})${b}-${c}-${e}`, `8-${a}-${b}-${c}-${e}`, `8${d}`]);
}

interface FileRows {
  csv: string;
  rows: string[][];
  /** Rows built on purpose as duplicates (of the base, of earlier rows). */
  planted: { existing: number; inFile: number };
}

/**
 * The file: contacts of both languages with positions, a mobile (and sometimes a work) phone typed in mixed formats,
 * e-mails, tags; 70 % at a company, half of them an existing one (its name and INN), half a new one that several rows
 * name. 5 % are people of the base (an existing phone or e-mail, typed another way), 5 % repeat an earlier row.
 */
function buildFile(count: number, base: Base, seed: number): FileRows {
  const fakers = { en: new Faker({ locale: [en, baseLocale] }), ru: new Faker({ locale: [ru, en, baseLocale] }) };
  fakers.en.seed(seed + 1);
  fakers.ru.seed(seed + 2);
  const faker = fakers.ru;
  const newCompanies = Array.from({ length: Math.max(1, Math.round(count / 25)) }, (_, i) => ({
    name: `${faker.company.name()} ${i + 1}`,
    inn: String(7_000_000_000 + i * 7 + faker.number.int({ min: 0, max: 6 })),
  }));
  const positions = Array.from({ length: 300 }, () => faker.person.jobTitle());
  const rows: string[][] = [];
  const written: { phone: string | null; email: string | null; name: PersonName }[] = [];
  const planted = { existing: 0, inFile: 0 };
  for (let i = 0; i < count; i++) {
    const draw = faker.number.float({ min: 0, max: 1 });
    const locale: RecordLocale = faker.datatype.boolean(0.8) ? 'ru' : 'en';
    let name = personName(fakers[locale], locale);
    let phone: string | null = faker.datatype.boolean(0.9) ? `+79${String(faker.number.int({ min: 0, max: 999_999_999 })).padStart(9, '0')}` : null;
    let email: string | null = faker.datatype.boolean(0.7) ? personEmail(fakers[locale], name, locale, null) : null;
    if (draw < EXISTING_SHARE && base.phones.length > 0) {
      planted.existing += 1;
      if (faker.datatype.boolean(0.6)) phone = faker.helpers.arrayElement(base.phones);
      else email = faker.helpers.arrayElement(base.emails).toUpperCase();
    } else if (draw < EXISTING_SHARE + IN_FILE_SHARE && written.length > 0) {
      planted.inFile += 1;
      const earlier = faker.helpers.arrayElement(written);
      name = earlier.name;
      if (earlier.phone) phone = earlier.phone;
      else email = earlier.email?.toUpperCase() ?? email;
    }
    const work = faker.datatype.boolean(0.2) ? `+7495${String(faker.number.int({ min: 0, max: 9_999_999 })).padStart(7, '0')}` : null;
    const company = faker.datatype.boolean(0.7) ? (faker.datatype.boolean(0.5) && base.companies.length > 0 ? faker.helpers.arrayElement(base.companies) : faker.helpers.arrayElement(newCompanies)) : null;
    const full = [name.last, name.first, name.middle].filter(Boolean).join(' ');
    rows.push([
      locale === 'ru' ? full : `${name.first} ${name.last}`,
      faker.datatype.boolean(0.6) ? faker.helpers.arrayElement(positions) : '',
      phone ? typed(faker, phone) : '',
      work ? typed(faker, work) : '',
      email ?? '',
      company?.name ?? '',
      company?.inn ?? '',
      faker.datatype.boolean(0.1) ? faker.helpers.arrayElement(['vip', 'выставка', 'vip, партнёр', 'рассылка']) : '',
    ]);
    written.push({ phone, email, name });
  }
  return { csv: `${csvRow(HEADERS)}${rows.map((row) => csvRow(row)).join('')}`, rows, planted };
}

/**
 * The rows the import stores, worked out the way it decides (mode "skip"): a row whose phone or e-mail is already in
 * the base or in an earlier stored row is skipped; a company is found by INN, else by name, else created once.
 */
function storedRows(file: FileRows, base: Base) {
  const options = { object: 'contact' as const, mapping: MAPPING, defaultCountry: 'RU', fileLocale: 'ru' as const, customFields: [] };
  const phones = new Set(base.knownPhones);
  const emails = new Set(base.knownEmails);
  const companyByKey = new Map<string, string>();
  const found = (draft: NonNullable<RowDraft['company']>) => (draft.inn ? base.companyByInn.get(draft.inn) : undefined) ?? (draft.name !== null ? base.companyByName.get(draft.name.toLowerCase()) : undefined);
  const contacts: Record<string, unknown>[] = [];
  const companies: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  for (const cells of file.rows) {
    const draft = readRow(cells, options);
    if (draft.errors.length > 0) throw new Error(`the generated row is not valid: ${JSON.stringify(draft.errors)}`);
    if (draft.keys.phones.some((key) => phones.has(key)) || draft.keys.emails.some((key) => emails.has(key))) continue;
    for (const key of draft.keys.phones) phones.add(key);
    for (const key of draft.keys.emails) emails.add(key);
    const id = newId();
    let companyId: string | null = null;
    if (draft.company) {
      const key = draft.company.inn ?? draft.company.name!.toLowerCase();
      companyId = found(draft.company) ?? companyByKey.get(key) ?? null;
      if (!companyId) {
        companyId = newId();
        companyByKey.set(key, companyId);
        const name = draft.company.name!;
        companies.push({ id: companyId, name, inn: draft.company.inn, search_name: searchName(name, null), search_tax_ids: draft.company.inn ? [draft.company.inn] : [] });
      }
    }
    const points = normalizeContactPoints(draft.phones, draft.emails.map((email) => ({ email })), 'RU', false);
    const first = String(draft.fields.firstName);
    const middle = (draft.fields.middleName as string | undefined) ?? null;
    const last = (draft.fields.lastName as string | undefined) ?? null;
    contacts.push({
      id,
      first_name: first,
      middle_name: middle,
      last_name: last,
      full_name: [first, middle, last].filter(Boolean).join(' '),
      position: (draft.fields.position as string | undefined) ?? null,
      phones: JSON.stringify(points.phones),
      emails: JSON.stringify(points.emails),
      tags: (draft.fields.tags as string[] | undefined) ?? [],
      search_name: searchName(first, middle, last),
      search_phones: searchPhones(points.phones),
      search_emails: searchEmails(points.emails),
    });
    if (companyId) links.push({ contact_id: id, company_id: companyId });
  }
  return { contacts, companies, links };
}

const pgArray = (values: string[]) => `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
/** A COPY line: empty unquoted is NULL, "" an empty text. */
const copyLine = (values: unknown[]) => csvRow(values.map((value) => (value === null || value === undefined ? null : Array.isArray(value) ? pgArray(value as string[]) : String(value as string)))).slice(0, -1);

/**
 * The ceiling: the rows the import stores (new companies, contacts with their phones and e-mails, company links) sent
 * with `COPY … FROM STDIN` through psql in one transaction — the same tables, indexes and triggers — then rolled back so
 * that Rapport's run finds the base as it was. Returns the wall time of the psql run.
 */
async function copyCeiling(base: Base, stored: ReturnType<typeof storedRows>): Promise<number> {
  const { workspaceId, ownerId, teamId } = base;
  const company = ['workspace_id', 'id', 'name', 'inn', 'owner_id', 'team_id', 'search_name', 'search_tax_ids', 'created_by', 'updated_by'];
  const contact = ['workspace_id', 'id', 'first_name', 'middle_name', 'last_name', 'full_name', 'position', 'phones', 'emails', 'owner_id', 'team_id', 'tags', 'search_name', 'search_phones', 'search_emails', 'created_by', 'updated_by'];
  const link = ['workspace_id', 'contact_id', 'company_id', 'is_primary'];
  const script = [
    'BEGIN;',
    `COPY company (${company.join(', ')}) FROM STDIN WITH (FORMAT csv);`,
    ...stored.companies.map((c) => copyLine([workspaceId, c.id, c.name, c.inn, ownerId, teamId, c.search_name, c.search_tax_ids, ownerId, ownerId])),
    '\\.',
    `COPY contact (${contact.join(', ')}) FROM STDIN WITH (FORMAT csv);`,
    ...stored.contacts.map((c) => copyLine([workspaceId, c.id, c.first_name, c.middle_name, c.last_name, c.full_name, c.position, c.phones, c.emails, ownerId, teamId, c.tags, c.search_name, c.search_phones, c.search_emails, ownerId, ownerId])),
    '\\.',
    `COPY contact_company (${link.join(', ')}) FROM STDIN WITH (FORMAT csv);`,
    ...stored.links.map((l) => copyLine([workspaceId, l.contact_id, l.company_id, true])),
    '\\.',
    'ROLLBACK;',
    '',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('psql', [base.url, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`psql exited with ${code}: ${errors.slice(0, 2_000)}`))));
    child.stdin.end(script);
  });
}

const firstBy = <T extends { id: string }>(rows: T[], key: (row: T) => string | null) => {
  const map = new Map<string, string>();
  for (const row of rows) {
    const value = key(row);
    if (value !== null && !map.has(value)) map.set(value, row.id);
  }
  return map;
};

/** A fresh database with the bench workspace and a base of `contacts` people (and their companies), in a Russian workspace. */
async function prepareBase(ctx: BenchContext, contacts: number, label: string): Promise<Base> {
  const target = await ctx.backend.fresh(label);
  if (target.kind !== 'postgres') throw new Error(`${label} needs PostgreSQL`);
  ctx.log(`generating the base: ${contacts.toLocaleString('en')} contacts`);
  const runtime = await openRuntime(loadConfig({ ...targetEnv(target, ctx.backend.tempDir(`${label}-scratch`)), LOG_LEVEL: 'warn' }), createLogger('warn'), { workers: false });
  let summary: Awaited<ReturnType<typeof generateDataset>>;
  try {
    summary = await generateDataset(runtime.database.db, { scale: 1, contacts, locale: 'ru', log: (line) => ctx.log(`  ${line}`) });
  } finally {
    await runtime.close();
  }
  const login = summary.logins.head;
  if (!login) throw new Error('the generated dataset has no head of sales');
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const workspaceId = summary.workspaceId;
    // The head of sales imports: the import right on contacts, and creating and reading every company.
    const head = await client.query<{ id: string; team_id: string | null }>(
      `UPDATE role SET permissions = permissions || jsonb_build_object('contact', permissions->'contact' || '{"import":"all","create":"all"}', 'company', permissions->'company' || '{"read":"all","create":"all"}')
       WHERE workspace_id = $1 AND id = (SELECT role_id FROM app_user WHERE workspace_id = $1 AND email = $2)
       RETURNING (SELECT id FROM app_user WHERE workspace_id = $1 AND email = $2), (SELECT team_id FROM app_user WHERE workspace_id = $1 AND email = $2)`,
      [workspaceId, login],
    );
    const keys = await client.query<{ phones: string[]; emails: string[] }>('SELECT search_phones AS phones, search_emails AS emails FROM contact WHERE workspace_id = $1 AND deleted_at IS NULL', [workspaceId]);
    const companies = await client.query<{ id: string; inn: string | null; name: string }>('SELECT id, inn, name FROM company WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at', [workspaceId]);
    const knownPhones = new Set(keys.rows.flatMap((row) => row.phones));
    const knownEmails = new Set(keys.rows.flatMap((row) => row.emails));
    return {
      workspaceId,
      login,
      password: summary.password,
      dataset: describeDataset(summary),
      url: target.url,
      ownerId: head.rows[0]!.id,
      teamId: head.rows[0]!.team_id,
      phones: [...knownPhones].filter((phone) => phone.startsWith('+79')),
      emails: [...knownEmails],
      knownPhones,
      knownEmails,
      companies: companies.rows.filter((row) => row.inn !== null),
      companyByInn: firstBy(companies.rows, (row) => row.inn),
      companyByName: firstBy(companies.rows, (row) => row.name.toLowerCase()),
    };
  } finally {
    await client.end();
  }
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface Job {
  id: string;
  status: string;
  version: number;
  totalRows: number;
  rowsDone: number;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

/**
 * import-100k / import-1m: a CSV of `rows` contacts uploaded, configured and started through the API of the real server,
 * waited for until done; rows/s over the job (its start to its end) and the server's peak RSS. The ceiling, in the same
 * run: a raw COPY of the rows it stores into the same tables.
 */
export function importBenchmark(name: string, fileRows: number): Benchmark {
  return {
    name,
    description: `POST /api/v1/imports of ${fileRows.toLocaleString('en')} contacts (CSV, companies, mixed phone formats, 10 % duplicates): rows/s and peak RSS vs a raw COPY`,
    async run(ctx) {
      if (ctx.backend.kind !== 'postgres') throw new Error(`${name} compares with COPY … FROM STDIN through psql: run it on PostgreSQL (DATABASE_URL)`);
      const raw = process.env.BENCH_IMPORT_ROWS;
      const rows = raw ? Number(raw) : fileRows;
      if (!Number.isInteger(rows) || rows < 100) throw new Error(`BENCH_IMPORT_ROWS must be a whole number ≥ 100, got "${raw}"`);
      const base = await prepareBase(ctx, Math.max(1_000, Math.round(rows / 10)), name.replace('-', '_'));
      const generated = performance.now();
      const file = buildFile(rows, base, 7);
      const stored = storedRows(file, base);
      ctx.log(`file: ${rows.toLocaleString('en')} rows, ${round(Buffer.byteLength(file.csv) / 1048576, 1)} MB, built in ${round((performance.now() - generated) / 1000, 1)} s; ${stored.contacts.length.toLocaleString('en')} contacts and ${stored.companies.length.toLocaleString('en')} companies to store`);

      ctx.log('COPY (ceiling) …');
      const copyMs = await copyCeiling(base, stored);
      ctx.log(`  ${round(copyMs / 1000, 1)} s`);
      // The rolled-back rows leave dead tuples: cleaned so that Rapport finds the tables as generated.
      const vacuum = new pg.Client({ connectionString: base.url });
      await vacuum.connect();
      await vacuum.query('VACUUM (ANALYZE) company, contact, contact_company, search_word').finally(() => vacuum.end());

      const env = { ...targetEnv({ kind: 'postgres', url: base.url, database: '' }, ctx.backend.tempDir(`${name}-scratch`)), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ATTACHMENT_MAX_MB: '1024', PORT: String(await freePort()) };
      const rapport = await startServedChild('bench/servers/rapport-server.ts', childEnv({ BENCH_RAPPORT_ENV: JSON.stringify(env) }));
      try {
        const login = await fetch(`${rapport.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: base.login, password: base.password }) });
        const cookie = (login.headers.getSetCookie().find((value) => value.startsWith('rapport_session=')) ?? '').split(';')[0] ?? '';
        const { csrfToken } = await json<{ csrfToken: string }>(login);
        const headers = { cookie, 'x-csrf-token': csrfToken };
        const call = async <T>(method: string, path: string, body?: unknown) =>
          json<T>(await fetch(`${rapport.url}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
        const rss = sampleRss(rapport.pid, 250);
        const uploadStarted = performance.now();
        let job = await json<Job>(await fetch(`${rapport.url}/api/v1/imports?object=contact&name=${name}.csv`, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: file.csv }));
        const uploadMs = performance.now() - uploadStarted;
        job = await call<Job>('PATCH', `/api/v1/imports/${job.id}`, { mapping: MAPPING, defaultCountry: 'RU', fileLocale: 'ru', mode: 'skip', version: job.version });
        const started = performance.now();
        job = await call<Job>('POST', `/api/v1/imports/${job.id}/start`, { version: job.version });
        let lastLog = started;
        while (job.status === 'queued' || job.status === 'running') {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          job = await call<Job>('GET', `/api/v1/imports/${job.id}`);
          if (performance.now() - lastLog > 30_000) {
            lastLog = performance.now();
            ctx.log(`  ${job.rowsDone.toLocaleString('en')} / ${job.totalRows.toLocaleString('en')} rows`);
          }
        }
        const wallMs = performance.now() - started;
        const peak = rss.stop();
        if (job.status !== 'done') throw new Error(`the import ended ${job.status}: ${job.error ?? ''}`);
        const jobMs = new Date(job.finishedAt!).getTime() - new Date(job.startedAt!).getTime();
        const rate = round(rows / (jobMs / 1000), 0);
        const ceiling = round(rows / (copyMs / 1000), 0);
        ctx.log(`  import: ${rows.toLocaleString('en')} rows in ${round(jobMs / 1000, 1)} s (${rate} rows/s; ${job.created} created, ${job.skipped} skipped, ${job.rejected} rejected), peak RSS ${round(peak ?? 0, 0)} MB`);
        const result: BenchResult = {
          name,
          metric: 'rows/s, a CSV of contacts imported through the API (upload, mapping, start; the durable job from start to done)',
          value: rate,
          unit: 'rows/s',
          ceiling,
          ratio: round(rate / ceiling, 3),
          ratioDefinition: "import rows/s (the file's rows over the job's started → finished) ÷ the file's rows over a raw COPY of the rows it stores",
          p50: 0,
          p95: 0,
          p99: 0,
          percentileUnit: 'n/a (one import)',
          dataset: `${base.dataset}; the file: ${rows.toLocaleString('en')} rows, ${file.planted.existing.toLocaleString('en')} of people in the base, ${file.planted.inFile.toLocaleString('en')} repeating earlier rows`,
          ...commonFields(ctx),
          target: TARGET,
          pass: rate >= TARGET.threshold,
          samples: 1,
          rssMb: round(peak ?? 0, 0),
          details: {
            fileMb: round(Buffer.byteLength(file.csv) / 1048576, 1),
            uploadSeconds: round(uploadMs / 1000, 2),
            jobSeconds: round(jobMs / 1000, 2),
            startToDoneSeconds: round(wallMs / 1000, 2),
            counts: { created: job.created, updated: job.updated, skipped: job.skipped, rejected: job.rejected },
            expected: { contacts: stored.contacts.length, companies: stored.companies.length, links: stored.links.length },
            sameRowsStored: job.created === stored.contacts.length,
            copy: { seconds: round(copyMs / 1000, 2), rowsPerSecond: ceiling, contacts: stored.contacts.length, companies: stored.companies.length, links: stored.links.length },
          },
        };
        return result;
      } finally {
        await stopChild(rapport);
      }
    },
  };
}
