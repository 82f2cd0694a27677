import type { Company, Contact, Locale } from '@rapport/shared';
import { accessScope, isInScope } from '../core/access-scope.js';
import type { Ctx, RequestMeta } from '../core/context.js';
import type { Db } from '../infra/db.js';
import { actorOfUser } from '../modules/auth/auth.service.js';
import { getWorkspace } from '../modules/workspace/workspace.service.js';
import type { Services } from '../services.js';
import { DEMO_USERS, LOYALTY_LEVELS, type DemoClientBase, type DemoUser } from './demo-client-base.js';
import { CLIENT_BASE_EN } from './demo-client-base-en.js';
import { CLIENT_BASE_RU } from './demo-client-base-ru.js';

const CLIENT_BASE: Record<Locale, DemoClientBase> = { en: CLIENT_BASE_EN, ru: CLIENT_BASE_RU };

/** A user's context with their role's real rights and teams, as a sign-in would give them, so services check the same. */
export async function userCtx(db: Db, workspaceId: string, userId: string, meta: RequestMeta): Promise<Ctx> {
  const actor = await actorOfUser(db, workspaceId, userId);
  if (!actor) throw new Error(`Demo user ${userId} is not an active user with a role`);
  return { actor, meta };
}

/**
 * The demo client base, created through the services by the people who own it: each record is entered and annotated
 * by its owner, so rights, normalisation, search columns, audit entries and timelines are exactly what the app makes.
 */
/** What later parts of the demo build on: every user's context, the companies by key and the contacts as entered. */
export interface SeededClientBase {
  as: Record<DemoUser, Ctx>;
  companies: Map<string, Company>;
  contacts: { contact: Contact; owner: DemoUser; companyKeys: string[]; hasNotes: boolean }[];
}

export async function seedClientBase(db: Db, services: Services, workspaceId: string, userIds: Record<DemoUser, string>, locale: Locale, meta: RequestMeta): Promise<SeededClientBase> {
  const data = CLIENT_BASE[locale];
  const as = {} as Record<DemoUser, Ctx>;
  for (const user of DEMO_USERS) as[user] = await userCtx(db, workspaceId, userIds[user], meta);

  await services.customField.create(as.admin, {
    object: 'contact',
    key: 'loyalty',
    label: data.loyaltyField.label,
    kind: 'select',
    options: LOYALTY_LEVELS.map((value) => ({ value, label: data.loyaltyField.options[value] })),
    showInList: true,
  });
  const { currency } = await getWorkspace(db, workspaceId);
  await services.customField.create(as.admin, { object: 'company', key: 'credit_limit', label: data.creditLimitField.label, kind: 'money', currency });

  const companies = new Map<string, Company>();
  const company = (key: string): Company => {
    const found = companies.get(key);
    if (!found) throw new Error(`Demo data names company "${key}" before it is created`);
    return found;
  };
  // A rep cannot link a record to a company they do not see (a holding, another rep's client): the head of sales enters it for them.
  const enteredBy = (owner: DemoUser, linked: Company[]): Ctx => {
    const scope = accessScope(as[owner].actor, 'company', 'read');
    return linked.every((c) => isInScope(scope, c)) ? as[owner] : as.head;
  };

  for (const { key, owner, parent, creditLimit, notes = [], ...body } of data.companies) {
    const parentCompany = parent ? company(parent) : null;
    const created = await services.company.create(enteredBy(owner, parentCompany ? [parentCompany] : []), {
      ...body,
      ownerId: userIds[owner],
      parentId: parentCompany?.id ?? null,
      custom: creditLimit ? { credit_limit: creditLimit } : {},
    });
    companies.set(key, created);
    for (const note of notes) await services.timeline.createNote(as[owner], 'company', created.id, note);
  }

  const contacts: SeededClientBase['contacts'] = [];
  for (const { owner, companies: links, loyalty, notes = [], ...body } of data.contacts) {
    const linked = links.map((link) => company(link.company));
    const created = await services.contact.create(enteredBy(owner, linked), {
      ...body,
      ownerId: userIds[owner],
      companies: links.map((link, i) => ({ companyId: linked[i]!.id, role: link.role, isPrimary: i === 0 })),
      custom: loyalty ? { loyalty } : {},
    });
    for (const note of notes) await services.timeline.createNote(as[owner], 'contact', created.id, note);
    contacts.push({ contact: created, owner, companyKeys: links.map((link) => link.company), hasNotes: notes.length > 0 });
  }

  // Leads arrive as new and are then worked on, so their timelines show the status changes.
  for (const { owner, status, disqualifyReason, convertInto, notes = [], ...body } of data.leads) {
    const ctx = as[owner];
    const lead = await services.lead.create(ctx, { ...body, ownerId: userIds[owner] });
    for (const note of notes) await services.timeline.createNote(ctx, 'lead', lead.id, note);
    if (convertInto) {
      await services.lead.convert(ctx, lead.id, { contact: { mode: 'new' }, company: { mode: 'existing', id: company(convertInto).id }, version: lead.version }, lead.version);
    } else if (status !== 'new') {
      await services.lead.update(ctx, lead.id, { status, disqualifyReason }, lead.version);
    }
  }

  await services.savedView.create(as.admin, {
    object: 'company',
    name: data.views.keyCustomers,
    visibility: 'workspace',
    filter: JSON.stringify({ field: 'kind', op: 'eq', value: 'customer' }),
    sort: 'name',
    columns: ['name', 'industry', 'phone', 'email', 'ownerId', 'custom.credit_limit'],
  });
  await services.savedView.create(as.admin, {
    object: 'contact',
    name: data.views.loyalContacts,
    visibility: 'workspace',
    filter: JSON.stringify({ field: 'custom.loyalty', op: 'in', value: ['gold', 'platinum'] }),
    sort: 'name',
    columns: ['name', 'position', 'companyId', 'phone', 'email', 'custom.loyalty', 'ownerId'],
  });
  await services.savedView.create(as.managerMsk, {
    object: 'lead',
    name: data.views.openLeads,
    visibility: 'team',
    filter: JSON.stringify({ field: 'status', op: 'in', value: ['new', 'in_work'] }),
    sort: '-createdAt',
    columns: ['name', 'companyName', 'status', 'source', 'phone', 'ownerId', 'createdAt'],
  });
  return { as, companies, contacts };
}
