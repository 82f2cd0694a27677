import type { ImportJob, ImportObject } from '@rapport/shared';
import { expect } from 'vitest';
import { as, type Session } from './factories.js';
import type { TestApp } from './test-app.js';

/**
 * An import's steps through the API, as the wizard and the worker take them: upload a file of `object`, then set it up,
 * start it and run its job to the end (in batches of two rows, so that rows meet across batches). `session()` gives the
 * test app and the administrator once they exist; `defaults` are settings every run starts from.
 */
export function importSteps(session: () => { t: TestApp; admin: Session }, object: ImportObject, fileName: string, defaults: Record<string, unknown>) {
  const upload = (user: Session, body: string) => as(session().t, user)('POST', `/api/v1/imports?object=${object}&name=${fileName}`, Buffer.from(body), { 'content-type': 'application/octet-stream' });
  const uploaded = async (body: string) => {
    const response = await upload(session().admin, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<ImportJob>();
  };
  const runImport = async (job: ImportJob, settings: Record<string, unknown>) => {
    const { t, admin } = session();
    const configured = await as(t, admin)('PATCH', `/api/v1/imports/${job.id}`, { ...defaults, ...settings, version: job.version });
    expect(configured.statusCode, configured.body).toBe(200);
    const started = await as(t, admin)('POST', `/api/v1/imports/${job.id}/start`, { version: configured.json<ImportJob>().version });
    expect(started.statusCode, started.body).toBe(200);
    await t.services.imports.run(admin.workspaceId, job.id, { batchSize: 2 });
    return (await as(t, admin)('GET', `/api/v1/imports/${job.id}`)).json<ImportJob>();
  };
  const undo = (job: ImportJob) => as(session().t, session().admin)('POST', `/api/v1/imports/${job.id}/undo`);
  return { upload, uploaded, runImport, undo };
}
