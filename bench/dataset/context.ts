import type { Faker } from '@faker-js/faker';
import type { Locale } from '@rapport/shared';
import type { Executor } from '../../packages/server/src/infra/db.js';

/** Password of every generated user (hashed once per run: argon2 is deliberately slow). */
export const BENCH_PASSWORD = 'rapport-bench-2026';

/** Rows are inserted in multi-row statements of this many rows. */
export const BATCH_ROWS = 1_000;

/** Shared by the per-entity generators of one run; later entity kinds (companies, deals, ...) add theirs. */
export interface DatasetContext {
  /** The run's transaction: a failed run leaves nothing behind. */
  db: Executor;
  faker: Faker;
  scale: number;
  locale: Locale;
  /** Short random id that keeps e-mails unique across runs on one database. */
  runId: string;
  workspaceId: string;
  adminId: string;
  roleIds: { admin: string; head: string; manager: string; rep: string };
  /** argon2 hash of BENCH_PASSWORD, computed once. */
  passwordHash: string;
}

/** Splits rows into multi-row INSERT statements. */
export async function insertInBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) await insert(rows.slice(start, start + BATCH_ROWS));
}

/** A creation time somewhere in the past year, so lists and reports do not see one instant. */
export function pastDate(faker: Faker): Date {
  return faker.date.past({ years: 1 });
}

/** The client-base generators' extra state: per-language fakers, the workspace's phone country, record owners. */
export interface ClientBaseContext extends DatasetContext {
  /** Records come in both languages; each language has its own seeded faker. */
  fakers: { en: Faker; ru: Faker };
  /** Local phone numbers are read in this country, as the server reads them (workspace.country). */
  country: string;
  /** Active non-admin users with their teams. */
  owners: { userId: string; teamId: string }[];
  stats: { droppedPhones: number };
  /** Called after each loaded batch. */
  progress(kind: string, done: number, total: number): void;
}
