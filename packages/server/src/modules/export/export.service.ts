import type { Readable } from 'node:stream';
import type { ClientObject, ExportBody, ExportFormat, ObjectField } from '@rapport/shared';
import { accessScope, narrowerScope } from '../../core/access-scope.js';
import { AppError } from '../../core/app-error.js';
import type { Ctx } from '../../core/context.js';
import { hideFields } from '../../core/field-rules.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import { countRecentActions, recordAudit } from '../audit/audit.service.js';
import { userNames, type ClientRecordService, type ClientRow } from '../client-record/client-record.service.js';
import { notify, type NotifyMail } from '../notification/notification.service.js';
import { administratorIds, exportRowLimit } from '../role/role.service.js';
import type { SavedViewService } from '../saved-view/saved-view.service.js';
import { teamNames } from '../team/team.service.js';
import { cellOf, csvStream, isHiddenColumn, xlsxStream, type Cell, type CellNames } from './export-format.js';

type Dto = Record<string, unknown>;

export interface ExportDeps extends ServiceDeps {
  records: ClientRecordService;
  savedViews: SavedViewService;
  /** Each object's answer shape (the same the list endpoints return), before the role's field rules. */
  readers: Record<ClientObject, (rows: ClientRow[], workspaceId: string) => Promise<Dto[]>>;
  mail: NotifyMail;
}

/** Rows read per database round trip: one page is all an export holds in memory. */
export const EXPORT_PAGE_SIZE = 1_000;
/** An export of more rows than this tells the administrators. */
export const UNUSUAL_EXPORT_ROWS = 10_000;
/** More exports than this by one user within an hour tell the administrators (at the first one past it). */
export const UNUSUAL_EXPORTS_PER_HOUR = 5;
const HOUR_MS = 3_600_000;
/** No role limit: count every row (LIMIT needs a number). */
const NO_LIMIT = Number.MAX_SAFE_INTEGER - 1;

const PATH: Record<ClientObject, string> = { company: 'companies', contact: 'contacts', lead: 'leads', deal: 'deals' };
const CONTENT_TYPE: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

interface Column {
  key: string;
  header: string;
  field: ObjectField | null;
}

export interface PreparedExport {
  fileName: string;
  contentType: string;
  rows: number;
  body: Readable;
}

/**
 * List exports (issue 7, item 6). The export right is its own (object × export × scope) and the rows are those of both
 * the export and the read scope; fields the role hides are left out; a role's row limit refuses a larger export before
 * any byte is written; every export is audited, and an unusual one (many rows, or many exports in an hour) notifies
 * the workspace's administrators. The file is streamed page by page.
 */
export function createExportService(deps: ExportDeps) {
  /** The columns asked for (a list's visible ones), or every field the role may see; hidden ones are left out. */
  function columnsOf(ctx: Ctx, object: ClientObject, catalogue: ObjectField[], keys: string[] | undefined, headers: string[] | undefined): Column[] {
    const rules = ctx.actor.fieldRules[object];
    const exportable = catalogue.filter((field) => !field.key.startsWith('company.'));
    if (headers && keys && headers.length !== keys.length) throw new AppError('validation', { message: 'Give one header per column', errors: [{ path: '/body/headers', message: `expected ${keys.length} headers` }] });
    const chosen = keys ?? ['id', ...exportable.map((field) => field.key)];
    const columns: Column[] = [];
    chosen.forEach((key, i) => {
      const field = key === 'id' ? null : exportable.find((candidate) => candidate.key === key);
      if (field === undefined) throw new AppError('validation', { message: `No field ${key} to export`, errors: [{ path: `/body/columns/${i}`, message: 'unknown field' }] });
      if (isHiddenColumn(rules, key)) return;
      columns.push({ key, field, header: headers?.[i] ?? (field?.label ?? key) });
    });
    if (columns.length === 0) throw new AppError('validation', { message: 'No column left to export', errors: [{ path: '/body/columns', message: 'every column is hidden from your role' }] });
    return columns;
  }

  /** Whether this export is unusual, and why: its size, or how many the user ran within the hour before it. */
  async function unusual(ctx: Ctx, rows: number): Promise<{ earlier: number; reason: 'rows' | 'frequency' | null }> {
    const earlier = await countRecentActions(deps.db, ctx.actor.workspaceId, ctx.actor.userId, '.export', new Date(deps.clock.now().getTime() - HOUR_MS));
    const reason = rows > UNUSUAL_EXPORT_ROWS ? 'rows' : earlier === UNUSUAL_EXPORTS_PER_HOUR ? 'frequency' : null;
    return { earlier, reason };
  }

  /**
   * Checks the rights and the limit, writes the audit entry (and the administrators' notifications), then hands back
   * the file's stream; nothing is written to the client before every check has passed.
   */
  async function start(ctx: Ctx, body: ExportBody): Promise<PreparedExport> {
    const { object, format } = body;
    accessScope(ctx.actor, object, 'export');
    const scope = narrowerScope(ctx.actor, object, 'export', 'read');
    const view = body.viewId ? await deps.savedViews.get(ctx, body.viewId) : undefined;
    if (view && view.object !== object) throw new AppError('validation', { message: 'The view is of another list', errors: [{ path: '/body/viewId', message: `a view of ${view.object}` }] });
    const query = { filter: body.filter ?? view?.filter ?? undefined, sort: body.sort ?? view?.sort ?? undefined, q: body.q };
    const columns = columnsOf(ctx, object, await deps.records.fields(ctx, object), body.columns ?? (view && view.columns.length > 0 ? view.columns : undefined), body.headers);
    const source = await deps.records.exportSource(ctx, object, query, scope, { sort: '/body/sort' });

    const limit = await exportRowLimit(deps.db, ctx.actor.workspaceId, ctx.actor.roleId);
    const rows = await source.count(limit ?? NO_LIMIT);
    if (limit !== null && rows > limit) {
      throw new AppError('export_limit', { message: `The list holds more than ${limit} rows, the most your role may export at once; narrow it with a filter`, errors: [{ path: '/body', message: `more than ${limit} rows` }] });
    }

    const { earlier, reason } = await unusual(ctx, rows);
    await deps.db.transaction().execute(async (trx) => {
      await recordAudit(trx, ctx, {
        action: `${object}.export`,
        objectType: object,
        meta: { format, rows, filter: query.filter ?? null, q: query.q ?? null, sort: query.sort ?? null, viewId: body.viewId ?? null, columns: columns.map((column) => column.key), unusual: reason },
      });
      if (reason === null) return;
      const params = { by: ctx.actor.name, rows, list: PATH[object], object, format: format.toUpperCase(), count: earlier + 1 };
      for (const userId of await administratorIds(trx, ctx.actor.workspaceId)) {
        if (userId === ctx.actor.userId) continue;
        await notify(trx, { workspaceId: ctx.actor.workspaceId, userId, kind: 'export_unusual', messageKey: reason === 'rows' ? 'notifications.exportLarge' : 'notifications.exportFrequent', params, link: `/settings/audit?actorId=${ctx.actor.userId}` }, deps.mail);
      }
    });

    const teams = await teamNames(deps.db, ctx.actor.workspaceId);
    const userFields = columns.filter((column) => column.field?.custom && column.field.kind === 'user').map((column) => column.key.slice('custom.'.length));
    const pages = source.pages(EXPORT_PAGE_SIZE, limit ?? NO_LIMIT);
    async function nextCells(): Promise<Cell[][] | undefined> {
      const next = await pages.next();
      if (next.done) return undefined;
      const dtos = (await deps.readers[object](next.value, ctx.actor.workspaceId)).map((dto) => hideFields(ctx.actor, object, dto));
      const userIds = dtos.flatMap((dto) => userFields.map((key) => (dto.custom as Dto | undefined)?.[key]).filter((id): id is string => typeof id === 'string'));
      const names: CellNames = { teams, users: await userNames(deps.db, ctx.actor.workspaceId, userIds) };
      return dtos.map((dto) => columns.map((column) => cellOf(object, dto, column.field, names)));
    }
    async function* cells(): AsyncGenerator<Cell[][]> {
      let pending = nextCells();
      for (;;) {
        const page = await pending;
        if (page === undefined) return;
        // The next page's reads (its rows, owners, companies) wait on the database while this one is written out.
        pending = nextCells();
        // A download that stops early leaves it unread: its failure must not go unhandled.
        pending.catch(() => undefined);
        yield page;
      }
    }
    const headers = columns.map((column) => column.header);
    const date = deps.clock.now().toISOString().slice(0, 10);
    return {
      fileName: `${PATH[object]}-${date}.${format}`,
      contentType: CONTENT_TYPE[format],
      rows,
      body: format === 'csv' ? csvStream(headers, cells(), body.delimiter ?? ',') : xlsxStream(PATH[object], headers, cells()),
    };
  }

  return { start };
}

export type ExportService = ReturnType<typeof createExportService>;
