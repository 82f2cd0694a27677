/**
 * Child process: the ceiling of the web-form benchmark. A bare Fastify app (no plugins, hooks, schemas, rate limits or
 * CORS) answering POST /api/v1/public/forms/:id/submissions with the work a lead capture cannot do without, in bare SQL
 * through `openDatabase(...)` (its pool and a transaction on it: a pg.Pool of 10 on PostgreSQL; PGlite's pg pool on the embedded backend):
 *
 *   the form (live, enabled), the contact the visitor already is by phone or e-mail (the same stored, normalised
 *   columns Rapport matches on), then in one transaction: the form locked, the lead (owner = the form's person),
 *   the owner's "call back within 15 minutes" task on the lead, and the records ARCHITECTURE §3 requires of every
 *   change, written as Rapport writes them: an audit entry per lead, task and submission, an outbox event per lead,
 *   task and notification, the owner's notification and its e-mail; for a visitor the base knows, a note on the lead
 *   and one on the contact (each with its link, audit entry and outbox event); the submission row.
 *
 * What is Rapport's alone (custom-field, country and distribution-rule lookups, validation, the service layers) is
 * left out: the ratio says what that costs. Config: BENCH_CLIENT_BASE_CEILING_ENV = { "port": number, "target": DatabaseTarget, "country": string }.
 */
import { normalizeEmail, toE164 } from '@rapport/shared';
import Fastify from 'fastify';
import { uuidv7 } from 'uuidv7';
import { executeRaw, openDatabase, type DatabaseTarget } from '../../packages/server/src/infra/db.js';
import { searchName } from '../../packages/server/src/modules/client-record/client-record.service.js';
import { serveChild } from './child-server.js';

const { port, target, country } = JSON.parse(process.env.BENCH_CLIENT_BASE_CEILING_ENV ?? '{}') as { port: number; target: DatabaseTarget; country: string };
const CALL_BACK_MS = 15 * 60_000;

const database = await openDatabase(target);
const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));

app.post<{ Params: { id: string }; Body: Record<string, string> }>('/api/v1/public/forms/:id/submissions', async (request, reply) => {
  const values = request.body;
  const form = (await database.executeSql('SELECT workspace_id, id, name, assign_user_id, success_message, redirect_url FROM web_form WHERE id = $1 AND deleted_at IS NULL AND enabled', [request.params.id])).rows[0];
  if (!form) return reply.status(404).send({ title: 'not found' });
  const phone = values.phone?.trim() ? toE164(values.phone.trim(), country) : null;
  const email = values.email?.trim() ? normalizeEmail(values.email.trim()) : null;
  const match = (
    await database.executeSql('SELECT id FROM contact WHERE workspace_id = $1 AND deleted_at IS NULL AND (search_phones && $2::text[] OR search_emails && $3::text[])', [form.workspace_id, phone ? [phone] : [], email ? [email] : []])
  ).rows[0];
  const name = values.name?.trim() || email || phone || String(form.name);
  await database.db.transaction().execute(async (ex) => {
    const trx = { executeSql: (text: string, values: unknown[]) => executeRaw(ex, text, values) };
    await trx.executeSql('SELECT id FROM web_form WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [form.workspace_id, form.id]);
    const owner = (await trx.executeSql('SELECT id, team_id, email FROM app_user WHERE workspace_id = $1 AND id = $2', [form.workspace_id, form.assign_user_id])).rows[0]!;
    const leadId = uuidv7();
    await trx.executeSql(
      `INSERT INTO lead (workspace_id, id, name, phones, emails, source, owner_id, team_id, search_name, search_phones, search_emails, matched_contact_id, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, 'website', $6, $7, $8, $9, $10, $11, $6, $6)`,
      [
        form.workspace_id,
        leadId,
        name,
        JSON.stringify(phone ? [{ type: 'mobile', number: values.phone!.trim(), e164: phone }] : []),
        JSON.stringify(email ? [{ type: 'personal', email }] : []),
        owner.id,
        owner.team_id,
        searchName(name),
        phone ? [phone] : [],
        email ? [email] : [],
        match?.id ?? null,
      ],
    );
    const audit = (action: string, objectType: string, objectId: string) =>
      trx.executeSql("INSERT INTO audit_log (workspace_id, id, actor_type, action, object_type, object_id, ip) VALUES ($1, $2, 'form', $3, $4, $5, $6)", [form.workspace_id, uuidv7(), action, objectType, objectId, request.ip]);
    const outbox = (topic: string, payload: Record<string, unknown>) =>
      trx.executeSql('INSERT INTO outbox (workspace_id, id, topic, payload) VALUES ($1, $2, $3, $4)', [form.workspace_id, uuidv7(), topic, JSON.stringify(payload)]);
    const changed = (objectType: string, id: string) => outbox('record.changed', { id, objectType, ownerId: owner.id, teamId: owner.team_id });
    await audit('lead.create', 'lead', leadId);
    await changed('lead', leadId);
    const taskId = uuidv7();
    const title = `Call back within 15 minutes: ${name}`.slice(0, 300);
    await trx.executeSql(
      `INSERT INTO task (workspace_id, id, title, owner_id, team_id, priority, due_at, subject_type, subject_id, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, 'high', $6, 'lead', $7, $4, $4)`,
      [form.workspace_id, taskId, title, owner.id, owner.team_id, new Date(Date.now() + CALL_BACK_MS), leadId],
    );
    await audit('task.create', 'task', taskId);
    await changed('task', taskId);
    if (match) {
      for (const [subjectType, subjectId] of [
        ['lead', leadId],
        ['contact', String(match.id)],
      ] as const) {
        const noteId = uuidv7();
        await trx.executeSql("INSERT INTO activity (workspace_id, id, kind, body, occurred_at, owner_id, team_id) VALUES ($1, $2, 'note', $3, now(), $4, $5)", [form.workspace_id, noteId, `Request from the form ${String(form.name)}`, owner.id, owner.team_id]);
        await trx.executeSql('INSERT INTO activity_link (workspace_id, activity_id, subject_type, subject_id, occurred_at) SELECT workspace_id, id, $3, $4, occurred_at FROM activity WHERE workspace_id = $1 AND id = $2', [form.workspace_id, noteId, subjectType, subjectId]);
        await audit('note.create', 'note', noteId);
        await changed(subjectType, subjectId);
      }
    }
    const notificationId = uuidv7();
    await trx.executeSql("INSERT INTO notification (workspace_id, id, user_id, kind, message_key, params, link) VALUES ($1, $2, $3, 'task_assigned', 'notifications.webFormLead', $4, $5)", [form.workspace_id, notificationId, owner.id, JSON.stringify({ title, form: form.name }), `/leads/${leadId}`]);
    await outbox('notification.created', { userId: owner.id, notificationId });
    await trx.executeSql("INSERT INTO mail_message (workspace_id, id, to_address, subject, text, status) VALUES ($1, $2, $3, $4, $5, 'queued')", [form.workspace_id, uuidv7(), owner.email, `New task: ${title}`, title]);
    const submissionId = uuidv7();
    await trx.executeSql('INSERT INTO web_form_submission (workspace_id, id, form_id, lead_id, owner_id, matched_contact_id, ip) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      form.workspace_id,
      submissionId,
      form.id,
      leadId,
      owner.id,
      match?.id ?? null,
      request.ip,
    ]);
    await audit('web_form.submit', 'web_form', String(form.id));
  });
  return { ok: true, message: form.success_message, redirectUrl: form.redirect_url };
});
await serveChild(app, port, () => database.close());
