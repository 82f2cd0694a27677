import { Type, type Static } from 'typebox';
import { LEAD_SOURCES, RecordInput, RecordMeta } from './client-base.js';
import { BodyVersion, DateTime, literals, Nullable, Uuid } from './contracts.js';
import { STAGE_KINDS } from './pipeline.js';

/**
 * Contracts of deals: a client record that moves through a pipeline's stages. Amounts travel as decimal strings
 * ("1250.00") with an ISO 4217 currency, as product prices do.
 */

const OptText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
const DateOnly = Type.String({ format: 'date' });
/** Any plain decimal; sign, decimals and size are checked by the server (decimalRule) so each gets its own message. */
const Decimal = Type.String({ maxLength: 40, pattern: '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$', description: 'a decimal string such as "1250.00"' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code in upper case, e.g. "EUR"' });

export const DEAL_SOURCES = LEAD_SOURCES;

/** A person on the deal and their role in it (decision maker, buyer…). */
export const DealContact = Type.Object({ contactId: Uuid, contactName: Type.String(), role: Nullable(Type.String()) });
export type DealContact = Static<typeof DealContact>;
export const DealContactInput = Type.Object({ contactId: Uuid, role: OptText(100) }, { additionalProperties: false });

export const Deal = Type.Object({
  ...RecordMeta,
  title: Type.String(),
  pipelineId: Uuid,
  pipelineName: Type.String(),
  stageId: Uuid,
  stageName: Type.String(),
  stageKind: literals(STAGE_KINDS),
  stageColor: Type.String(),
  /** Two decimals, e.g. "1250.00". */
  amount: Type.String(),
  currency: Type.String(),
  companyId: Nullable(Uuid),
  companyName: Nullable(Type.String()),
  contacts: Type.Array(DealContact),
  expectedCloseDate: Nullable(DateOnly),
  source: Nullable(literals(DEAL_SOURCES)),
  /** The marketing campaign that brought the deal (e.g. a web form's utm_campaign). */
  campaign: Nullable(Type.String()),
  /** The price list its product lines take prices from. */
  priceListId: Nullable(Uuid),
  priceListName: Nullable(Type.String()),
  lostReason: Nullable(Type.String()),
  description: Nullable(Type.String()),
  stageEnteredAt: DateTime,
  /** Open and idle (no stage move, no interaction) longer than its stage's rotting days. */
  rotting: Type.Boolean(),
});
export type Deal = Static<typeof Deal>;

const dealFields = {
  pipelineId: Type.Optional(Uuid),
  stageId: Type.Optional(Uuid),
  amount: Type.Optional(Decimal),
  currency: Type.Optional(Currency),
  companyId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  contacts: Type.Optional(Type.Array(DealContactInput, { maxItems: 50 })),
  expectedCloseDate: Type.Optional(Type.Union([DateOnly, Type.Null()])),
  source: Type.Optional(Type.Union([literals(DEAL_SOURCES), Type.Null()])),
  campaign: OptText(200),
  /** Left out on create: the default price list of the deal's currency, if there is one. */
  priceListId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  lostReason: OptText(500),
  description: OptText(5000),
  ownerId: RecordInput.ownerId,
  teamId: RecordInput.teamId,
  tags: RecordInput.tags,
  custom: RecordInput.custom,
};
/** A new deal: the default pipeline and its first stage unless named; the workspace's currency unless named. */
export const DealBody = Type.Object({ title: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }), ...dealFields }, { additionalProperties: false });
export const DealUpdateBody = Type.Object({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' })), ...dealFields, version: BodyVersion }, { additionalProperties: false });
export type DealBody = Static<typeof DealBody>;
export type DealUpdateBody = Static<typeof DealUpdateBody>;

/** The board's move: to another stage of the deal's pipeline; a lost stage needs the reason. */
export const DealMoveBody = Type.Object({ stageId: Uuid, lostReason: OptText(500), version: BodyVersion }, { additionalProperties: false });
export type DealMoveBody = Static<typeof DealMoveBody>;

/** One stay of a deal in a stage; `seconds` runs to now for the current one. */
export const DealStageStay = Type.Object({
  id: Uuid,
  fromStageId: Nullable(Uuid),
  fromStageName: Nullable(Type.String()),
  stageId: Uuid,
  /** Null when the stage has since been removed from the pipeline. */
  stageName: Nullable(Type.String()),
  enteredAt: DateTime,
  leftAt: Nullable(DateTime),
  seconds: Type.Integer(),
  byUserId: Nullable(Uuid),
  byName: Nullable(Type.String()),
});
export type DealStageStay = Static<typeof DealStageStay>;
export const DealStageHistory = Type.Object({ items: Type.Array(DealStageStay) });

/** Cards per board column at first, and at most; each "show more" adds BOARD_CARDS_STEP. */
export const BOARD_CARDS = 20;
export const BOARD_CARDS_STEP = 30;
export const BOARD_CARDS_MAX = 200;
export const DealBoardQuery = Type.Object(
  {
    pipelineId: Type.Optional(Uuid),
    /** Quick text filter on the title. */
    q: Type.Optional(Type.String({ maxLength: 200 })),
    /** The list's filter grammar (owner, tags, custom fields…). */
    filter: Type.Optional(Type.String({ maxLength: 10_000 })),
    /** Cards per column (the newest first); the board asks for more when the user does. */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: BOARD_CARDS_MAX, default: BOARD_CARDS })),
  },
  { additionalProperties: false },
);
export type DealBoardQuery = Static<typeof DealBoardQuery>;
export const MoneySum = Type.Object({ currency: Type.String(), amount: Type.String() });
export type MoneySum = Static<typeof MoneySum>;
export const DealBoardColumn = Type.Object({ stageId: Uuid, count: Type.Integer(), sums: Type.Array(MoneySum), items: Type.Array(Deal) });
export type DealBoardColumn = Static<typeof DealBoardColumn>;
export const DealBoard = Type.Object({ pipelineId: Uuid, columns: Type.Array(DealBoardColumn) });
export type DealBoard = Static<typeof DealBoard>;
