import {
  BulkBody,
  BulkResult,
  ClientObjectSchema,
  Company,
  CompanyBody,
  CompanyUpdateBody,
  Contact,
  ContactBody,
  ContactUpdateBody,
  Deal,
  DealBody,
  DealUpdateBody,
  DeletedRecord,
  DuplicateCheckBody,
  DuplicateList,
  Lead,
  LeadBody,
  LeadConvertBody,
  LeadConvertPreview,
  LeadConvertResult,
  LeadUpdateBody,
  MergeBody,
  ObjectFieldList,
  Page,
  RecordIds,
  RecordIdsQuery,
  RecordListQuery,
  RecordPage,
  RecycleBinQuery,
  SearchQuery,
  SearchResult,
  type ClientObject,
} from '@rapport/shared';
import { Type, type TObject } from 'typebox';
import type { Ctx } from '../../core/context.js';
import { hideFields } from '../../core/field-rules.js';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, NoContent, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';
import type { ClientRow } from './client-record.service.js';

/** A role's field rules can hide any field but the id, so answers may leave fields out. */
export function visible<T extends TObject>(schema: T) {
  return Type.Object(Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, key === 'id' ? value : Type.Optional(value)])), { description: 'Fields hidden from the reader by their role are left out' });
}

interface ObjectRoutes {
  object: ClientObject;
  path: string;
  schema: TObject;
  body: TObject;
  updateBody: TObject;
  toDtos(rows: ClientRow[], workspaceId: string): Promise<Dto[]>;
  get(ctx: Ctx, id: string): Promise<Dto>;
  create(ctx: Ctx, body: never): Promise<Dto>;
  update(ctx: Ctx, id: string, patch: never, version: number | undefined): Promise<Dto>;
  /** Duplicate checks and merging, for objects that people enter twice by mistake (not deals). */
  merge?(ctx: Ctx, body: MergeBody): Promise<Dto>;
  setField(ctx: Ctx, id: string, field: string, value: unknown): Promise<void>;
  taxIds?: (draft: DuplicateCheckBody) => string[];
}
type Dto = Record<string, unknown>;

/** The same REST surface for companies, contacts, leads and deals (ARCHITECTURE §5), each backed by its own service. */
export function clientRecordRoutes(app: App, services: Services): void {
  const objects: ObjectRoutes[] = [
    { object: 'company', path: 'companies', schema: Company, body: CompanyBody, updateBody: CompanyUpdateBody, toDtos: services.company.toCompanies as ObjectRoutes['toDtos'], ...bind(services.company), taxIds: (d) => [d.inn, d.vat].filter((v): v is string => !!v) },
    { object: 'contact', path: 'contacts', schema: Contact, body: ContactBody, updateBody: ContactUpdateBody, toDtos: services.contact.toContacts as ObjectRoutes['toDtos'], ...bind(services.contact) },
    { object: 'lead', path: 'leads', schema: Lead, body: LeadBody, updateBody: LeadUpdateBody, toDtos: services.lead.toLeads as ObjectRoutes['toDtos'], ...bind(services.lead) },
    { object: 'deal', path: 'deals', schema: Deal, body: DealBody, updateBody: DealUpdateBody, toDtos: services.deal.toDeals as ObjectRoutes['toDtos'], ...bind(services.deal) },
  ];

  for (const o of objects) {
    const TAG = { tags: [o.path] };
    const Out = visible(o.schema);
    const base = `/api/v1/${o.path}`;
    const show = (request: { principal: unknown }, record: Dto) => hideFields(ctxOf(request as never).actor, o.object, record);

    app.get(base, { config: { access: { object: o.object, action: 'read' } }, schema: { ...TAG, querystring: RecordListQuery, response: { 200: RecordPage(Out) } } }, async (request) => {
      const ctx = ctxOf(request);
      const { page, total } = await services.records.list(ctx, o.object, request.query);
      const items = await o.toDtos(page.items, ctx.actor.workspaceId);
      return { items: items.map((item) => show(request, item)), nextCursor: page.nextCursor, total };
    });

    app.get(`${base}/ids`, { config: { access: { object: o.object, action: 'read' } }, schema: { ...TAG, querystring: RecordIdsQuery, response: { 200: RecordIds } } }, (request) =>
      services.records.ids(ctxOf(request), o.object, request.query),
    );

    app.post(base, { config: { access: { object: o.object, action: 'create' } }, schema: { ...TAG, body: o.body, response: { 201: Out } } }, async (request, reply) =>
      reply.status(201).send(show(request, await o.create(ctxOf(request), request.body as never))),
    );

    app.get(`${base}/:id`, { config: { access: { object: o.object, action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: Out } } }, async (request, reply) => {
      const record = await o.get(ctxOf(request), request.params.id);
      return reply.header('etag', `"${String(record.version)}"`).send(show(request, record));
    });

    app.patch(`${base}/:id`, { config: { access: { object: o.object, action: 'update' } }, schema: { ...TAG, params: IdParams, body: o.updateBody, response: { 200: Out } } }, async (request) => {
      const { version, ...patch } = request.body as { version?: number };
      return show(request, await o.update(ctxOf(request), request.params.id, patch as never, expectedVersion(request, version)));
    });

    app.delete(`${base}/:id`, { config: { access: { object: o.object, action: 'delete' } }, schema: { ...TAG, params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
      await services.records.remove(ctxOf(request), o.object, request.params.id);
      return reply.status(204).send(null);
    });

    app.post(`${base}/:id/restore`, { config: { access: { object: o.object, action: 'delete' } }, schema: { ...TAG, params: IdParams, response: { 200: Out } } }, async (request) => {
      const ctx = ctxOf(request);
      const row = await services.records.restore(ctx, o.object, request.params.id);
      return show(request, (await o.toDtos([row], ctx.actor.workspaceId))[0]!);
    });

    const merge = o.merge;
    if (merge) {
      app.post(`${base}/duplicates`, { config: { access: { object: o.object, action: 'read' } }, schema: { ...TAG, body: DuplicateCheckBody, response: { 200: DuplicateList } } }, async (request) => ({
        items: await services.records.duplicates(ctxOf(request), o.object, { ...request.body, taxIds: o.taxIds?.(request.body) ?? [] }),
      }));

      app.post(`${base}/merge`, { config: { access: { object: o.object, action: 'update' } }, schema: { ...TAG, body: MergeBody, response: { 200: Out } } }, async (request) => show(request, await merge(ctxOf(request), request.body)));
    }

    // The action decides the right it needs (delete, assign or update); the service checks it.
    app.post(`${base}/bulk`, { config: { access: { object: o.object, action: 'read' } }, schema: { ...TAG, body: BulkBody, response: { 200: BulkResult } } }, (request) =>
      services.records.bulk(ctxOf(request), o.object, request.body, o.setField),
    );
  }

  app.get('/api/v1/leads/:id/convert-preview', { config: { access: { object: 'lead', action: 'read' } }, schema: { tags: ['leads'], params: IdParams, response: { 200: LeadConvertPreview } } }, (request) =>
    services.lead.convertPreview(ctxOf(request), request.params.id),
  );

  app.post('/api/v1/leads/:id/convert', { config: { access: { object: 'lead', action: 'update' } }, schema: { tags: ['leads'], params: IdParams, body: LeadConvertBody, response: { 200: LeadConvertResult } } }, (request) =>
    services.lead.convert(ctxOf(request), request.params.id, request.body, expectedVersion(request, request.body.version)),
  );

  app.get('/api/v1/objects/:object/fields', { config: { access: 'authenticated' }, schema: { tags: ['fields'], params: Type.Object({ object: ClientObjectSchema }, { additionalProperties: false }), response: { 200: ObjectFieldList } } }, async (request) => ({
    items: await services.records.fields(ctxOf(request), request.params.object),
  }));

  app.get('/api/v1/search', { config: { access: 'authenticated' }, schema: { tags: ['search'], querystring: SearchQuery, response: { 200: SearchResult } } }, (request) =>
    services.records.search(ctxOf(request), request.query.q, request.query.limit ?? 8),
  );

  app.get('/api/v1/recycle-bin', { config: { access: 'authenticated' }, schema: { tags: ['recycle bin'], querystring: RecycleBinQuery, response: { 200: Page(DeletedRecord) } } }, (request) =>
    services.records.recycleBin(ctxOf(request), request.query.object, request.query),
  );
}

function bind<S extends { get: unknown; create: unknown; update: unknown; merge?: unknown; setField: unknown }>(service: S) {
  return { get: service.get, create: service.create, update: service.update, ...(service.merge ? { merge: service.merge } : {}), setField: service.setField } as unknown as Pick<ObjectRoutes, 'get' | 'create' | 'update' | 'merge' | 'setField'>;
}
