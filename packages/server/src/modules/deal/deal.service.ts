import {
  BOARD_CARDS,
  DEAL_SOURCES,
  decimalRule,
  isCurrencyCode,
  normalizeDecimal,
  PRODUCT_RULE_MESSAGES,
  type Deal,
  type DealBoard,
  type DealBoardQuery,
  type DealBody,
  type DealMoveBody,
  type DealStageStay,
  type DealUpdateBody,
  type FieldError,
} from '@rapport/shared';
import { accessScope } from '../../core/access-scope.js';
import { AppError, requireVersion } from '../../core/app-error.js';
import { assertWritable } from '../../core/field-rules.js';
import type { Ctx } from '../../core/context.js';
import { diffFields } from '../../core/diff.js';
import type { ServiceDeps } from '../../core/services-deps.js';
import type { Executor } from '../../infra/db.js';
import { newId } from '../../infra/ids.js';
import { customFieldsOf, loadRecord, recordChanged, recordMeta, resolveOwner, searchName, userNames, checkTeam, type ClientRecordService, type ClientRow } from '../client-record/client-record.service.js';
import { applyCustomValues } from '../custom-field/custom-field.service.js';
import { emit } from '../outbox/outbox.service.js';
import { priceListNames, resolveDealPriceList } from '../price-list/price-list.service.js';
import { getWorkspace } from '../workspace/workspace.service.js';
import {
  boardCards,
  boardTotals,
  companyNamesOf,
  contactsOfDeals,
  enterStage,
  findDealRow,
  insertDeal,
  pipelineStages,
  replaceDealContacts,
  stageHistoryOf,
  stagesById,
  stageTotals,
  updateDealRow,
  type StageInfo,
} from './deal.repository.js';

/** The object's fields for lists, filters and search (SQL lives in the repository). */
export { DEAL_DEF } from './deal.repository.js';

type Fields = Record<string, unknown>;
/** Columns whose changes the audit log keeps; the stage and pipeline are added by name. */
const AUDITED = ['title', 'amount', 'currency', 'company_id', 'expected_close_date', 'source', 'campaign', 'price_list_id', 'lost_reason', 'description', 'owner_id', 'team_id', 'tags', 'custom'];
const DAY_MS = 86_400_000;

type DealRowShape = ClientRow & {
  title: string;
  pipeline_id: string;
  stage_id: string;
  amount: string;
  currency: string;
  company_id: string | null;
  expected_close_date: string | Date | null;
  source: Deal['source'];
  campaign: string | null;
  price_list_id: string | null;
  lost_reason: string | null;
  description: string | null;
  stage_entered_at: Date;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

/** A `date` column as YYYY-MM-DD: the driver may hand it over as a local-midnight Date. */
function isoDate(value: string | Date | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

/** Open, and neither moved nor touched for longer than its stage allows. */
function isRotting(row: DealRowShape, stage: StageInfo | undefined, now: Date): boolean {
  if (!stage || stage.kind !== 'open' || stage.rotting_days === null) return false;
  const lastActivity = row.last_activity_at?.getTime() ?? 0;
  const idleSince = Math.max(row.stage_entered_at.getTime(), lastActivity);
  return now.getTime() - idleSince > stage.rotting_days * DAY_MS;
}

export async function toDeals(ex: Executor, workspaceId: string, rows: ClientRow[], now: Date): Promise<Deal[]> {
  const deals = rows as unknown as DealRowShape[];
  // Independent lookups: on a pool (outside a transaction) they run side by side, a board's 300 cards at once.
  const [owners, stages, companies, contacts, priceLists] = await Promise.all([
    userNames(ex, workspaceId, deals.map((row) => row.owner_id)),
    stagesById(ex, workspaceId, deals.map((row) => row.stage_id)),
    companyNamesOf(ex, workspaceId, deals.flatMap((row) => (row.company_id ? [row.company_id] : []))),
    contactsOfDeals(ex, workspaceId, deals.map((row) => row.id)),
    priceListNames(ex, workspaceId, deals.flatMap((row) => (row.price_list_id ? [row.price_list_id] : []))),
  ]);
  return deals.map((row) => {
    const stage = stages.get(row.stage_id);
    return {
      id: row.id,
      title: row.title,
      pipelineId: row.pipeline_id,
      pipelineName: stage?.pipeline_name ?? '',
      stageId: row.stage_id,
      stageName: stage?.name ?? '',
      stageKind: stage?.kind ?? 'open',
      stageColor: stage?.color ?? '#868e96',
      amount: normalizeDecimal(String(row.amount)),
      currency: row.currency,
      companyId: row.company_id,
      companyName: row.company_id ? (companies.get(row.company_id) ?? null) : null,
      contacts: contacts.filter((link) => link.deal_id === row.id && link.deleted_at === null).map((link) => ({ contactId: link.contact_id, contactName: link.full_name, role: link.role })),
      expectedCloseDate: isoDate(row.expected_close_date),
      source: row.source,
      campaign: row.campaign,
      priceListId: row.price_list_id,
      priceListName: row.price_list_id ? (priceLists.get(row.price_list_id) ?? null) : null,
      lostReason: row.lost_reason,
      description: row.description,
      stageEnteredAt: row.stage_entered_at.toISOString(),
      rotting: isRotting(row, stage, now),
      ...recordMeta(row, owners),
    };
  });
}

/** Records the stay and, in the same transaction, the event stage robots start from (exactly once per entry). */
async function enterStageAnnounced(ex: Executor, entry: Parameters<typeof enterStage>[1]): Promise<void> {
  await enterStage(ex, entry);
  await emit(ex, entry.workspaceId, 'deal.stage_entered', { dealId: entry.dealId, stageId: entry.toStageId, entryId: entry.id });
}

/**
 * The price list after an edit: the one named; or, when the currency changes and the deal's list is in another, the
 * new currency's default; else unchanged (undefined).
 */
async function dealPriceList(ex: Executor, workspaceId: string, before: DealRowShape, patch: Omit<DealUpdateBody, 'version'>): Promise<string | null | undefined> {
  const currency = patch.currency ?? before.currency;
  if (patch.priceListId !== undefined) return resolveDealPriceList(ex, workspaceId, currency, patch.priceListId);
  if (currency === before.currency || before.price_list_id === null) return undefined;
  return resolveDealPriceList(ex, workspaceId, currency, undefined);
}

/** Amount as money (not negative, two decimals, fits numeric(18,2)) and the currency as an ISO 4217 code. */
function checkMoney(amount: string | undefined, currency: string | undefined): void {
  const errors: FieldError[] = [];
  const rule = amount === undefined ? undefined : decimalRule(amount);
  if (rule) errors.push({ path: '/body/amount', message: PRODUCT_RULE_MESSAGES[rule] });
  if (currency !== undefined && !isCurrencyCode(currency)) errors.push({ path: '/body/currency', message: PRODUCT_RULE_MESSAGES.unknown_currency });
  if (errors.length > 0) throw new AppError('validation', { message: 'The amount or currency is not valid', errors });
}

function checkLostReason(stage: StageInfo, reason: string | null, path = '/body/lostReason'): void {
  if (stage.kind === 'lost' && !reason) throw new AppError('validation', { message: 'Say why the deal is lost', errors: [{ path, message: 'required when the deal is lost' }] });
}

/**
 * The stage a deal goes to: a stage of the named pipeline (or of the deal's own, or the default one), its first stage
 * when none is named.
 */
async function resolveStage(ex: Executor, workspaceId: string, pipelineId: string | null, stageId: string | undefined): Promise<StageInfo> {
  const stages = await pipelineStages(ex, workspaceId, pipelineId);
  if (stages.length === 0) {
    throw pipelineId
      ? new AppError('validation', { message: 'No such pipeline', errors: [{ path: '/body/pipelineId', message: 'no such pipeline' }] })
      : new AppError('validation', { message: 'The workspace has no default pipeline; name one', errors: [{ path: '/body/pipelineId', message: 'required: no default pipeline' }] });
  }
  if (stageId === undefined) return stages[0]!;
  const stage = stages.find((candidate) => candidate.id === stageId);
  if (!stage) throw new AppError('validation', { message: 'The stage is not one of the pipeline’s', errors: [{ path: '/body/stageId', message: 'not a stage of this pipeline' }] });
  return stage;
}

export function createDealService(deps: ServiceDeps, peers: { records: ClientRecordService }) {
  async function one(ex: Executor, workspaceId: string, row: ClientRow): Promise<Deal> {
    return (await toDeals(ex, workspaceId, [row], deps.clock.now()))[0]!;
  }

  /** A company or contact named on a deal must be one the actor can see: otherwise a field error, not a 404 of the deal. */
  async function checkLinks(ex: Executor, ctx: Ctx, companyId: string | null | undefined, contacts: { contactId: string }[] | undefined): Promise<void> {
    const errors: FieldError[] = [];
    const visible = async (object: 'company' | 'contact', id: string, path: string) => {
      try {
        await loadRecord(ex, ctx, object, id);
      } catch (error) {
        if (!(error instanceof AppError) || (error.code !== 'not_found' && error.code !== 'forbidden')) throw error;
        errors.push({ path, message: `no such ${object}` });
      }
    };
    if (companyId) await visible('company', companyId, '/body/companyId');
    for (const [index, contact] of (contacts ?? []).entries()) await visible('contact', contact.contactId, `/body/contacts/${index}/contactId`);
    const ids = (contacts ?? []).map((contact) => contact.contactId);
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) errors.push({ path: `/body/contacts/${index}/contactId`, message: 'the same contact twice' });
    });
    if (errors.length > 0) throw new AppError('validation', { message: 'A linked record is not valid', errors });
  }

  const contactRows = (contacts: DealBody['contacts']) => (contacts ?? []).map((contact) => ({ contactId: contact.contactId, role: contact.role?.trim() || null }));

  async function get(ctx: Ctx, id: string): Promise<Deal> {
    return one(deps.db, ctx.actor.workspaceId, await loadRecord(deps.db, ctx, 'deal', id));
  }

  /**
   * A new deal in the caller's transaction (a lead conversion makes one too): checked, stored, its first stay begun,
   * audited. Needs the create right; returns the id.
   */
  async function insert(trx: Executor, ctx: Ctx, input: DealBody): Promise<string> {
    const { workspaceId, userId } = ctx.actor;
    accessScope(ctx.actor, 'deal', 'create');
    checkMoney(input.amount, input.currency);
    const id = newId();
    const stage = await resolveStage(trx, workspaceId, input.pipelineId ?? null, input.stageId);
    const lostReason = input.lostReason?.trim() || null;
    checkLostReason(stage, lostReason);
    await checkLinks(trx, ctx, input.companyId, input.contacts);
    const custom = applyCustomValues(await customFieldsOf(trx, workspaceId, 'deal'), {}, input.custom);
    const owner = await resolveOwner(trx, ctx, 'deal', input.ownerId, input.teamId);
    const title = input.title.trim();
    const now = deps.clock.now();
    const currency = input.currency ?? (await getWorkspace(trx, workspaceId)).currency;
    await insertDeal(trx, {
      workspace_id: workspaceId,
      id,
      title,
      pipeline_id: stage.pipeline_id,
      stage_id: stage.id,
      amount: normalizeDecimal(input.amount ?? '0'),
      currency,
      company_id: input.companyId ?? null,
      expected_close_date: input.expectedCloseDate ?? null,
      source: input.source ?? null,
      campaign: input.campaign?.trim() || null,
      price_list_id: await resolveDealPriceList(trx, workspaceId, currency, input.priceListId),
      lost_reason: stage.kind === 'lost' ? lostReason : null,
      description: input.description?.trim() || null,
      stage_entered_at: now,
      owner_id: owner.ownerId,
      team_id: owner.teamId,
      tags: [...new Set(input.tags ?? [])],
      custom: JSON.stringify(custom),
      search_name: searchName(title),
      created_by: userId,
      updated_by: userId,
    });
    await replaceDealContacts(trx, workspaceId, id, contactRows(input.contacts));
    await enterStageAnnounced(trx, { workspaceId, id: newId(), dealId: id, fromStageId: null, toStageId: stage.id, at: now, by: userId });
    await recordChanged(trx, ctx, 'deal', id, 'create', { meta: { title, pipeline: stage.pipeline_name, stage: stage.name } });
    return id;
  }

  async function create(ctx: Ctx, input: DealBody): Promise<Deal> {
    return deps.db.transaction().execute(async (trx) => {
      const id = await insert(trx, ctx, input);
      return one(trx, ctx.actor.workspaceId, (await findDealRow(trx, ctx.actor.workspaceId, id)) as unknown as ClientRow);
    });
  }

  async function update(ctx: Ctx, id: string, patch: Omit<DealUpdateBody, 'version'>, version: number | undefined): Promise<Deal> {
    assertWritable(ctx.actor, 'deal', patch);
    const expected = requireVersion(version);
    checkMoney(patch.amount, patch.currency);
    const { workspaceId, userId } = ctx.actor;
    return deps.db.transaction().execute(async (trx) => {
      const before = (await loadRecord(trx, ctx, 'deal', id, 'update', { forUpdate: true })) as unknown as DealRowShape;
      await checkTeam(trx, workspaceId, patch.teamId);
      const pipelineChanges = patch.pipelineId !== undefined && patch.pipelineId !== before.pipeline_id;
      const stageChanges = pipelineChanges || (patch.stageId !== undefined && patch.stageId !== before.stage_id);
      const previous = (await stagesById(trx, workspaceId, [before.stage_id])).get(before.stage_id);
      // A new pipeline without a stage starts the deal at its first stage.
      const stage = stageChanges ? await resolveStage(trx, workspaceId, patch.pipelineId ?? before.pipeline_id, patch.stageId !== before.stage_id ? patch.stageId : undefined) : previous!;
      const lostReason = patch.lostReason !== undefined ? patch.lostReason?.trim() || null : before.lost_reason;
      checkLostReason(stage, lostReason);
      await checkLinks(trx, ctx, patch.companyId, patch.contacts);
      const custom = patch.custom ? applyCustomValues(await customFieldsOf(trx, workspaceId, 'deal'), before.custom, patch.custom) : undefined;
      const owner = patch.ownerId && patch.ownerId !== before.owner_id ? await resolveOwner(trx, ctx, 'deal', patch.ownerId, patch.teamId) : undefined;
      const title = patch.title?.trim() ?? before.title;
      const now = deps.clock.now();
      const priceListId = await dealPriceList(trx, workspaceId, before, patch);
      const after = await updateDealRow(trx, workspaceId, id, expected, {
        title,
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        ...(stageChanges ? { stage_entered_at: now } : {}),
        amount: patch.amount !== undefined ? normalizeDecimal(patch.amount) : undefined,
        currency: patch.currency,
        company_id: patch.companyId,
        expected_close_date: patch.expectedCloseDate,
        source: patch.source,
        campaign: patch.campaign !== undefined ? patch.campaign?.trim() || null : undefined,
        price_list_id: priceListId,
        lost_reason: stage.kind === 'lost' ? lostReason : null,
        description: patch.description !== undefined ? patch.description?.trim() || null : undefined,
        owner_id: owner?.ownerId,
        team_id: owner ? owner.teamId : patch.teamId,
        tags: patch.tags ? [...new Set(patch.tags)] : undefined,
        custom: custom ? JSON.stringify(custom) : undefined,
        search_name: searchName(title),
        updated_by: userId,
      });
      if (!after) throw new AppError('version_conflict', { message: `The deal was changed by someone else (now version ${before.version}); reload it`, currentVersion: before.version });
      // People are audited as the timeline shows them: "Olga Buyer (decision maker)".
      const peopleOf = async () => (await contactsOfDeals(trx, workspaceId, [id])).map((link) => (link.role ? `${link.full_name} (${link.role})` : link.full_name));
      const beforePeople = patch.contacts ? await peopleOf() : [];
      if (patch.contacts) await replaceDealContacts(trx, workspaceId, id, contactRows(patch.contacts));
      const comparable = (row: Fields): Fields => ({ ...row, amount: normalizeDecimal(String(row.amount)), expected_close_date: isoDate(row.expected_close_date as string | Date | null) });
      const changes = diffFields(comparable(before as unknown as Fields), comparable(after as unknown as Fields), AUDITED);
      if (patch.contacts) Object.assign(changes, diffFields({ contacts: beforePeople }, { contacts: await peopleOf() }, ['contacts']));
      if (stageChanges) {
        await enterStageAnnounced(trx, { workspaceId, id: newId(), dealId: id, fromStageId: before.stage_id, toStageId: stage.id, at: now, by: userId });
        // Names, not ids: the timeline and the audit log read "Proposal → Won" even after a stage is renamed or removed.
        changes.stage = { from: previous?.name ?? null, to: stage.name };
        if (pipelineChanges) changes.pipeline = { from: previous?.pipeline_name ?? null, to: stage.pipeline_name };
      }
      await recordChanged(trx, ctx, 'deal', id, 'update', { changes, meta: stageChanges ? { fromStageId: before.stage_id, toStageId: stage.id } : null });
      return one(trx, workspaceId, after as unknown as ClientRow);
    });
  }

  /** The board's drag: another stage of the same pipeline, with the version the card was drawn at. */
  async function move(ctx: Ctx, id: string, body: Omit<DealMoveBody, 'version'>, version: number | undefined): Promise<Deal> {
    return update(ctx, id, { stageId: body.stageId, ...(body.lostReason !== undefined ? { lostReason: body.lostReason } : {}) }, version);
  }

  async function stageHistory(ctx: Ctx, id: string): Promise<{ items: DealStageStay[] }> {
    await loadRecord(deps.db, ctx, 'deal', id);
    const rows = await stageHistoryOf(deps.db, ctx.actor.workspaceId, id);
    return {
      items: rows.map((row) => ({
        id: row.id,
        fromStageId: row.from_stage_id,
        fromStageName: row.from_name,
        stageId: row.to_stage_id,
        stageName: row.to_name,
        enteredAt: row.entered_at.toISOString(),
        leftAt: row.left_at?.toISOString() ?? null,
        seconds: Math.max(0, Number(row.seconds)),
        byUserId: row.by_user_id,
        byName: row.by_name,
      })),
    };
  }

  /** One pipeline's columns: per stage the matching deals the actor may see (newest first), their count and sums per currency. */
  async function board(ctx: Ctx, q: DealBoardQuery): Promise<DealBoard> {
    const { workspaceId } = ctx.actor;
    const [{ base }, stages] = await Promise.all([peers.records.conditions(ctx, 'deal', q), pipelineStages(deps.db, workspaceId, q.pipelineId ?? null)]);
    const pipelineId = stages[0]?.pipeline_id;
    if (!pipelineId) throw new AppError('not_found', { message: q.pipelineId ? 'No such pipeline' : 'The workspace has no default pipeline' });
    const params = { ...base, pipelineId, perStage: q.limit ?? BOARD_CARDS };
    const stageIds = stages.map((stage) => stage.id);
    // Every live deal of the pipeline counts: the kept totals answer; a narrowed board sums its own deals.
    const everyDeal = base.scope.kind === 'all' && !base.filter && !base.q?.trim();
    const [totals, cards] = await Promise.all([everyDeal ? stageTotals(deps.db, workspaceId, stageIds) : boardTotals(deps.db, params), boardCards(deps.db, { ...params, stageIds })]);
    const deals = await toDeals(deps.db, workspaceId, cards as unknown as ClientRow[], deps.clock.now());
    return {
      pipelineId,
      columns: stages.map((stage) => {
        const sums = totals.filter((row) => row.stage_id === stage.id);
        return {
          stageId: stage.id,
          count: sums.reduce((sum, row) => sum + row.n, 0),
          sums: sums.map((row) => ({ currency: row.currency, amount: normalizeDecimal(row.total) })),
          items: deals.filter((deal) => deal.stageId === stage.id),
        };
      }),
    };
  }

  /** Bulk "set field": the source, or a custom field. */
  async function setField(ctx: Ctx, id: string, field: string, value: unknown): Promise<void> {
    const row = await loadRecord(deps.db, ctx, 'deal', id, 'update');
    if (field.startsWith('custom.')) {
      await update(ctx, id, { custom: { [field.slice('custom.'.length)]: value } }, row.version);
      return;
    }
    if (field === 'source' && (value === null || DEAL_SOURCES.includes(value as (typeof DEAL_SOURCES)[number]))) {
      await update(ctx, id, { source: value as Deal['source'] }, row.version);
      return;
    }
    throw new AppError('validation', { message: 'This field cannot be set in bulk, or the value does not fit it', errors: [{ path: '/body/value', message: `not a value for ${field}` }] });
  }

  return { get, insert, create, update, move, stageHistory, board, setField, toDeals: (rows: ClientRow[], workspaceId: string) => toDeals(deps.db, workspaceId, rows, deps.clock.now()) };
}

export type DealService = ReturnType<typeof createDealService>;
