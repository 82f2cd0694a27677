import type { Locale } from '@rapport/shared';
import type { Db } from '../infra/db.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { createWorkspaceWithAdmin } from '../modules/setup/setup.service.js';
import { createActiveUser } from '../modules/user/user.service.js';
import { getWorkspace } from '../modules/workspace/workspace.service.js';
import type { Services } from '../services.js';
import type { DemoUser } from './demo-client-base.js';
import { seedClientBase, userCtx } from './seed-client-base.js';
import { seedDeals } from './seed-deals.js';
import { seedWork } from './seed-work.js';

export const DEMO_PASSWORD = 'rapport-demo-2026';

const TEXT = {
  en: {
    workspace: 'Northwind Trading',
    sales: 'Sales department',
    moscow: 'Moscow branch',
    spb: 'Saint Petersburg branch',
    service: 'Customer service',
    people: [
      ['Alexandra Reed', 'admin@demo.rapport.local'],
      ['Victor Hale', 'head@demo.rapport.local'],
      ['Maria Collins', 'maria.collins@demo.rapport.local'],
      ['Daniel Price', 'daniel.price@demo.rapport.local'],
      ['Olivia Grant', 'olivia.grant@demo.rapport.local'],
      ['Samuel Ford', 'samuel.ford@demo.rapport.local'],
      ['Emma Lane', 'emma.lane@demo.rapport.local'],
    ],
  },
  ru: {
    workspace: 'Северный ветер',
    sales: 'Отдел продаж',
    moscow: 'Московский филиал',
    spb: 'Петербургский филиал',
    service: 'Клиентский сервис',
    people: [
      ['Александра Ершова', 'admin@demo.rapport.local'],
      ['Виктор Голубев', 'head@demo.rapport.local'],
      ['Мария Козлова', 'maria.kozlova@demo.rapport.local'],
      ['Даниил Прохоров', 'daniil.prokhorov@demo.rapport.local'],
      ['Ольга Грачёва', 'olga.gracheva@demo.rapport.local'],
      ['Семён Фёдоров', 'semen.fedorov@demo.rapport.local'],
      ['Елена Лаптева', 'elena.lapteva@demo.rapport.local'],
    ],
  },
} as const;

export interface DemoResult {
  workspaceId: string;
  password: string;
  logins: { email: string; name: string; role: string }[];
}

/**
 * A realistic demo workspace: a sales department with two branches and a service team, a head of sales,
 * branch managers and reps, all signing in with DEMO_PASSWORD, and their client base (companies, contacts, leads,
 * custom fields, shared views), deals on the sales board, the calls, meetings, e-mails and SMS logged on it, and the team's tasks, all timed relative
 * to `now` (the services' clock). Later capabilities add their records here.
 */
export async function seedDemo(db: Db, services: Services, locale: Locale = 'en', now: Date = new Date()): Promise<DemoResult> {
  const text = TEXT[locale];
  const [admin, head, managerMsk, repMsk1, repMsk2, managerSpb, repSpb] = text.people;
  const meta = { ip: null, requestId: 'seed-demo' };
  const created = await db.transaction().execute((trx) =>
    createWorkspaceWithAdmin(trx, { workspaceName: text.workspace, name: admin[0], email: admin[1], password: DEMO_PASSWORD, locale }, meta),
  );
  const { workspaceId, roleIds } = created;
  const ctx = await userCtx(db, workspaceId, created.userId, meta);
  const sales = await services.team.create(ctx, { name: text.sales, kind: 'department' });
  const moscow = await services.team.create(ctx, { name: text.moscow, kind: 'branch', parentId: sales.id });
  const spb = await services.team.create(ctx, { name: text.spb, kind: 'branch', parentId: sales.id });
  await services.team.create(ctx, { name: text.service, kind: 'department' });

  const logins: DemoResult['logins'] = [{ email: admin[1], name: admin[0], role: 'admin' }];
  const userIds = await db.transaction().execute(async (trx): Promise<Record<DemoUser, string>> => {
    const origin = { workspaceId, actorId: created.userId, actorType: 'user' as const, ...meta };
    const add = async (person: readonly [string, string], role: keyof typeof roleIds, teamId: string, managerId: string | null) => {
      const id = await createActiveUser(trx, origin, { workspaceId, name: person[0], email: person[1], password: DEMO_PASSWORD, roleId: roleIds[role], teamId, managerId, locale });
      logins.push({ email: person[1], name: person[0], role });
      return id;
    };
    const headId = await add(head, 'head', sales.id, null);
    const mskId = await add(managerMsk, 'manager', moscow.id, headId);
    const repMsk1Id = await add(repMsk1, 'rep', moscow.id, mskId);
    const repMsk2Id = await add(repMsk2, 'rep', moscow.id, mskId);
    const spbId = await add(managerSpb, 'manager', spb.id, headId);
    const repSpbId = await add(repSpb, 'rep', spb.id, spbId);
    await recordAudit(trx, origin, { action: 'workspace.seed_demo', objectType: 'workspace', objectId: workspaceId, meta: { locale } });
    return { admin: created.userId, head: headId, managerMsk: mskId, repMsk1: repMsk1Id, repMsk2: repMsk2Id, managerSpb: spbId, repSpb: repSpbId };
  });
  const base = await seedClientBase(db, services, workspaceId, userIds, locale, meta);
  const { timezone } = await getWorkspace(db, workspaceId);
  await seedWork(services, base, userIds, locale, timezone, now);
  await seedDeals(services, base, userIds, locale);
  return { workspaceId, password: DEMO_PASSWORD, logins };
}
