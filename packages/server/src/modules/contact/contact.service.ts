import { CONTACT_SOURCES, type Contact, type ContactBody, type ContactUpdateBody, type MergeBody } from '@rapport/shared';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import type { Insertable } from 'kysely';
import type { ContactTable, MessengerValue } from '../../infra/db-schema.js';
import { newId } from '../../infra/ids.js';
import {
  customFieldsOf,
  formatPhones,
  getWorkspaceCountry,
  beginUpdate,
  loadRecord,
  mergeCustom,
  mergeRecords,
  normalizeContactPoints,
  pickMergedValue,
  recordChanged,
  recordMeta,
  recordsCreated,
  resolveOwner,
  searchEmails,
  searchName,
  searchPhones,
  unite,
  userNames,
  type ClientRow,
  type WriteOptions,
  restoreRecordColumns,
  titleOf,
} from '../client-record/client-record.service.js';
import { applyCustomValues } from '../custom-field/custom-field.service.js';
import { addNote, keptValuesNote, workspaceLocale } from '../timeline/timeline.service.js';
import { addLink, findContactRow, insertContacts, insertLinks, linksOf, replaceLinks, repointContact, updateContactRow } from './contact.repository.js';

/** The object's fields for lists, filters and search (SQL lives in the repository). */
export { CONTACT_DEF } from './contact.repository.js';


type Fields = Record<string, unknown>;
const AUDITED: string[] = ['first_name', 'middle_name', 'last_name', 'position', 'phones', 'emails', 'messengers', 'birthday', 'address', 'photo_url', 'source', 'email_opt_in', 'sms_opt_in', 'owner_id', 'team_id', 'tags', 'custom'];

type ContactRowShape = ClientRow & {
  first_name: string;
  middle_name: string | null;
  last_name: string | null;
  full_name: string;
  position: string | null;
  messengers: MessengerValue[];
  birthday: string | Date | null;
  address: string | null;
  photo_url: string | null;
  source: Contact['source'];
  email_opt_in: boolean;
  sms_opt_in: boolean;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

const fullName = (first: string, middle: string | null, last: string | null) => [first, middle, last].filter((part) => part && part.trim() !== '').join(' ');
const isoDate = (value: string | Date | null) => (value === null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));

export async function toContacts(ex: Executor, workspaceId: string, rows: ClientRow[]): Promise<Contact[]> {
  const [owners, linkRows] = await Promise.all([userNames(ex, workspaceId, rows.map((row) => row.owner_id)), linksOf(ex, workspaceId, rows.map((row) => row.id))]);
  // Grouped once: an export's page holds a thousand contacts and their links.
  const links = new Map<string, typeof linkRows>();
  for (const link of linkRows) links.set(link.contact_id, [...(links.get(link.contact_id) ?? []), link]);
  return rows.map((r) => {
    const row = r as unknown as ContactRowShape;
    return {
      id: row.id,
      name: row.full_name,
      firstName: row.first_name,
      middleName: row.middle_name,
      lastName: row.last_name,
      position: row.position,
      phones: formatPhones(row.phones),
      emails: row.emails as Contact['emails'],
      messengers: row.messengers as Contact['messengers'],
      birthday: isoDate(row.birthday),
      address: row.address,
      photoUrl: row.photo_url,
      source: row.source,
      emailOptIn: row.email_opt_in,
      smsOptIn: row.sms_opt_in,
      companies: (links.get(row.id) ?? []).map((link) => ({ companyId: link.company_id, companyName: link.company_name, role: link.role, isPrimary: link.is_primary })),
      ...recordMeta(row, owners),
    };
  });
}

type LinkInput = NonNullable<ContactBody['companies']>;
type Link = { companyId: string; role: string | null; isPrimary: boolean };

/** A new contact checked and computed, not written yet: a batch writes many at once. */
export interface PreparedContact {
  row: Insertable<ContactTable> & { id: string; owner_id: string; team_id: string | null; full_name: string };
  links: Link[];
  kept: string[];
}

export function createContactService(deps: ServiceDeps) {
  async function one(ex: Executor, workspaceId: string, row: ClientRow): Promise<Contact> {
    return (await toContacts(ex, workspaceId, [row]))[0]!;
  }

  /** Linked companies must exist and be visible; one is primary (the first, unless another is marked). */
  async function checkLinks(ex: Executor, ctx: Ctx, links: LinkInput, visible?: ReadonlySet<string>): Promise<Link[]> {
    const seen = new Set<string>();
    const result: Link[] = [];
    for (const [i, link] of links.entries()) {
      if (seen.has(link.companyId)) continue;
      seen.add(link.companyId);
      if (!visible?.has(link.companyId)) await loadRecord(ex, ctx, 'company', link.companyId).catch(() => {
        throw new AppError('validation', { message: 'No such company', errors: [{ path: `/body/companies/${i}/companyId`, message: 'no such company' }] });
      });
      result.push({ companyId: link.companyId, role: link.role?.trim() || null, isPrimary: link.isPrimary ?? false });
    }
    if (result.length > 0 && !result.some((link) => link.isPrimary)) result[0]!.isPrimary = true;
    return result;
  }

  async function get(ctx: Ctx, id: string): Promise<Contact> {
    return one(deps.db, ctx.actor.workspaceId, await loadRecord(deps.db, ctx, 'contact', id));
  }

  /** Checks a new contact and computes its row; throws what is wrong with it before anything is written. */
  async function prepare(trx: Executor, ctx: Ctx, input: ContactBody, options: WriteOptions = {}): Promise<PreparedContact> {
    const { workspaceId, userId } = ctx.actor;
    const id = newId();
    const country = options.country ?? (await getWorkspaceCountry(trx, workspaceId));
    const points = normalizeContactPoints(input.phones, input.emails, country, input.keepInvalidAsNote ?? false);
    const custom = applyCustomValues(options.customFields ?? (await customFieldsOf(trx, workspaceId, 'contact')), {}, input.custom);
    const owner = await resolveOwner(trx, ctx, 'contact', input.ownerId, input.teamId);
    const links = await checkLinks(trx, ctx, input.companies ?? [], options.visibleCompanies);
    const first = input.firstName.trim();
    const middle = input.middleName?.trim() || null;
    const last = input.lastName?.trim() || null;
    const row = {
      workspace_id: workspaceId,
      id,
      first_name: first,
      middle_name: middle,
      last_name: last,
      full_name: fullName(first, middle, last),
      position: input.position?.trim() || null,
      phones: JSON.stringify(points.phones),
      emails: JSON.stringify(points.emails),
      messengers: JSON.stringify(input.messengers ?? []),
      birthday: input.birthday ?? null,
      address: input.address?.trim() || null,
      photo_url: input.photoUrl ?? null,
      source: input.source ?? null,
      email_opt_in: input.emailOptIn ?? false,
      sms_opt_in: input.smsOptIn ?? false,
      owner_id: owner.ownerId,
      team_id: owner.teamId,
      tags: [...new Set(input.tags ?? [])],
      custom: JSON.stringify(custom),
      search_name: searchName(first, middle, last),
      search_phones: searchPhones(points.phones),
      search_emails: searchEmails(points.emails),
      created_by: userId,
      updated_by: userId,
    };
    return { row, links, kept: points.kept };
  }

  /** Writes prepared contacts with their company links, audit entries and events: a few statements for a whole batch. */
  async function insertPrepared(trx: Executor, ctx: Ctx, prepared: PreparedContact[]): Promise<void> {
    if (prepared.length === 0) return;
    const { workspaceId } = ctx.actor;
    await insertContacts(trx, prepared.map((contact) => contact.row));
    await insertLinks(trx, workspaceId, prepared.flatMap((contact) => contact.links.map((link) => ({ ...link, contactId: contact.row.id }))));
    await recordsCreated(trx, ctx, 'contact', prepared.map(({ row, links }) => ({ id: row.id, ownerId: row.owner_id, teamId: row.team_id, meta: { name: row.full_name, companies: links.map((link) => link.companyId) } })));
    for (const contact of prepared.filter((c) => c.kept.length > 0)) await addNote(trx, ctx, 'contact', contact.row.id, keptValuesNote(await workspaceLocale(trx, workspaceId), contact.kept));
  }

  /** Creates a contact in the caller's transaction (lead conversion uses it too). */
  async function insert(trx: Executor, ctx: Ctx, input: ContactBody, options: WriteOptions = {}): Promise<string> {
    const contact = await prepare(trx, ctx, input, options);
    await insertPrepared(trx, ctx, [contact]);
    return contact.row.id;
  }

  async function create(ctx: Ctx, input: ContactBody): Promise<Contact> {
    return deps.db.transaction().execute(async (trx) => {
      const id = await insert(trx, ctx, input);
      return one(trx, ctx.actor.workspaceId, (await findContactRow(trx, ctx.actor.workspaceId, id)) as unknown as ClientRow);
    });
  }

  /** Updates a contact in the caller's transaction (an import writes many in one). */
  async function updateIn(trx: Executor, ctx: Ctx, id: string, patch: Omit<ContactUpdateBody, 'version'>, version: number | undefined, options: WriteOptions = {}): Promise<Contact> {
    const { workspaceId, userId } = ctx.actor;
    const basis = await beginUpdate(trx, ctx, 'contact', id, patch, version, options);
    const { expected, points, custom, owner } = basis;
    const before = basis.before as unknown as ContactRowShape;
    const links = patch.companies ? await checkLinks(trx, ctx, patch.companies) : undefined;
    const first = patch.firstName?.trim() ?? before.first_name;
    const middle = patch.middleName !== undefined ? patch.middleName?.trim() || null : before.middle_name;
    const last = patch.lastName !== undefined ? patch.lastName?.trim() || null : before.last_name;
    const phones = patch.phones ? points!.phones : before.phones;
    const emails = patch.emails ? points!.emails : before.emails;
    const after = await updateContactRow(trx, workspaceId, id, expected, {
      first_name: first,
      middle_name: middle,
      last_name: last,
      full_name: fullName(first, middle, last),
      position: patch.position !== undefined ? patch.position?.trim() || null : undefined,
      phones: patch.phones ? JSON.stringify(phones) : undefined,
      emails: patch.emails ? JSON.stringify(emails) : undefined,
      messengers: patch.messengers ? JSON.stringify(patch.messengers) : undefined,
      birthday: patch.birthday,
      address: patch.address !== undefined ? patch.address?.trim() || null : undefined,
      photo_url: patch.photoUrl,
      source: patch.source,
      email_opt_in: patch.emailOptIn,
      sms_opt_in: patch.smsOptIn,
      owner_id: owner?.ownerId,
      team_id: owner ? owner.teamId : patch.teamId,
      tags: patch.tags ? [...new Set(patch.tags)] : undefined,
      custom: custom ? JSON.stringify(custom) : undefined,
      search_name: searchName(first, middle, last),
      search_phones: searchPhones(phones),
      search_emails: searchEmails(emails),
      updated_by: userId,
    });
    if (!after) throw new AppError('version_conflict', { message: `The contact was changed by someone else (now version ${before.version}); reload it`, currentVersion: before.version });
    const changes = diffFields(before as unknown as Fields, after as unknown as Fields, AUDITED);
    if (links) {
      const was = (await linksOf(trx, workspaceId, [id])).map((link) => ({ companyId: link.company_id, role: link.role }));
      await replaceLinks(trx, workspaceId, id, links);
      const now = links.map((link) => ({ companyId: link.companyId, role: link.role }));
      if (JSON.stringify(was) !== JSON.stringify(now)) changes.companies = { from: was, to: now };
    }
    await recordChanged(trx, ctx, 'contact', id, 'update', { changes });
    if (points && points.kept.length > 0) await addNote(trx, ctx, 'contact', id, keptValuesNote(await workspaceLocale(trx, workspaceId), points.kept));
    return one(trx, workspaceId, after as unknown as ClientRow);
  }

  async function update(ctx: Ctx, id: string, patch: Omit<ContactUpdateBody, 'version'>, version: number | undefined): Promise<Contact> {
    return deps.db.transaction().execute((trx) => updateIn(trx, ctx, id, patch, version));
  }

  async function linkCompany(trx: Executor, workspaceId: string, contactId: string, companyId: string, role: string | null): Promise<void> {
    await addLink(trx, workspaceId, contactId, companyId, role);
  }

  async function merge(ctx: Ctx, input: MergeBody): Promise<Contact> {
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const { survivor, merged } = await mergeRecords(trx, ctx, 'contact', input.survivorId, input.mergedIds);
      const all = [survivor, ...merged] as unknown as ContactRowShape[];
      const pick = <T,>(field: string, read: (row: ContactRowShape) => T) => pickMergedValue(field, input.fields, survivor, merged, (row) => read(row as unknown as ContactRowShape));
      const first = pick('firstName', (r) => r.first_name);
      const middle = pick('middleName', (r) => r.middle_name);
      const last = pick('lastName', (r) => r.last_name);
      const phones = unite(all, (r) => r.phones, (p) => p.e164 ?? p.number);
      const emails = unite(all, (r) => r.emails, (e) => e.email);
      const custom = mergeCustom(all, input.fields);
      await repointContact(trx, workspaceId, merged.map((row) => row.id), survivor.id);
      const after = await updateContactRow(trx, workspaceId, survivor.id, survivor.version, {
        first_name: first,
        middle_name: middle,
        last_name: last,
        full_name: fullName(first, middle, last),
        position: pick('position', (r) => r.position),
        birthday: pick('birthday', (r) => isoDate(r.birthday)),
        address: pick('address', (r) => r.address),
        photo_url: pick('photoUrl', (r) => r.photo_url),
        source: pick('source', (r) => r.source),
        email_opt_in: pick('emailOptIn', (r) => r.email_opt_in),
        sms_opt_in: pick('smsOptIn', (r) => r.sms_opt_in),
        phones: JSON.stringify(phones),
        emails: JSON.stringify(emails),
        messengers: JSON.stringify(unite(all, (r) => r.messengers, (m) => `${m.type}:${m.handle}`)),
        tags: unite(all, (r) => r.tags, (t) => t),
        custom: JSON.stringify(custom),
        search_name: searchName(first, middle, last),
        search_phones: searchPhones(phones),
        search_emails: searchEmails(emails),
        updated_by: userId,
      });
      await recordChanged(trx, ctx, 'contact', survivor.id, 'merge', { changes: diffFields(survivor as unknown as Fields, after! as unknown as Fields, AUDITED), meta: { merged: merged.map((row) => ({ id: row.id, title: titleOf('contact', row) })) } });
      return one(trx, workspaceId, after as unknown as ClientRow);
    });
  }

  async function setField(ctx: Ctx, id: string, field: string, value: unknown): Promise<void> {
    const row = await loadRecord(deps.db, ctx, 'contact', id, 'update');
    if (field.startsWith('custom.')) {
      await update(ctx, id, { custom: { [field.slice('custom.'.length)]: value } }, row.version);
      return;
    }
    const patch: Omit<ContactUpdateBody, 'version'> = {};
    if (field === 'position' && (typeof value === 'string' || value === null)) patch.position = value;
    else if (field === 'source' && (value === null || CONTACT_SOURCES.includes(value as NonNullable<Contact['source']>))) patch.source = value as Contact['source'];
    else if (field === 'emailOptIn' && typeof value === 'boolean') patch.emailOptIn = value;
    else if (field === 'smsOptIn' && typeof value === 'boolean') patch.smsOptIn = value;
    else throw new AppError('validation', { message: 'This field cannot be set in bulk, or the value does not fit it', errors: [{ path: '/body/value', message: `not a value for ${field}` }] });
    await update(ctx, id, patch, row.version);
  }

  /** Puts stored column values back (an import's undo), in the caller's transaction; false when changed since `version`. */
  async function restoreColumns(trx: Executor, ctx: Ctx, id: string, columns: Record<string, unknown>, version: number, meta: Record<string, unknown>): Promise<boolean> {
    return restoreRecordColumns(trx, ctx, { object: 'contact', id, columns, meta, audited: AUDITED }, (values) => updateContactRow(trx, ctx.actor.workspaceId, id, version, values));
  }

  return { get, prepare, insertPrepared, insert, create, update, updateIn, restoreColumns, merge, setField, linkCompany, toContacts: (rows: ClientRow[], workspaceId: string) => toContacts(deps.db, workspaceId, rows) };
}

export type ContactService = ReturnType<typeof createContactService>;
