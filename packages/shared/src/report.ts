import { Type, type Static } from 'typebox';
import { literals, Nullable, Uuid } from './contracts.js';
import { MoneySum } from './deal.js';
import { STAGE_KINDS } from './pipeline.js';

/**
 * Sales reports (issue 5 item 9). Every report reads one period (whole days, inclusive, in the workspace's time zone),
 * optionally narrowed to one pipeline, the deals of one team and one owner. Amounts stay per currency: different
 * currencies are never added together.
 */

const DateOnly = Type.String({ format: 'date' });

export const REPORT_NAMES = ['funnel', 'time-in-stage', 'won-lost', 'managers', 'lead-sources', 'campaigns', 'forecast'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const ReportQuery = Type.Object(
  {
    /** First day of the period; the first day of the current month when left out. */
    from: Type.Optional(DateOnly),
    /** Last day of the period (inclusive); the last day of the current month when left out. */
    to: Type.Optional(DateOnly),
    /** The funnel and time in stage read the default pipeline when none is named; the other reports read all. */
    pipelineId: Type.Optional(Uuid),
    teamId: Type.Optional(Uuid),
    ownerId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

/** What the report was computed over, so the page and the CSV say it. */
export const ReportPeriod = Type.Object({ from: DateOnly, to: DateOnly, pipelineId: Nullable(Uuid) });
export type ReportPeriod = Static<typeof ReportPeriod>;

export const FunnelRow = Type.Object({
  stageId: Uuid,
  stageName: Type.String(),
  kind: literals(STAGE_KINDS),
  /** Deals created in the period that reached this stage or a later one (a skipped stage counts as passed). */
  reached: Type.Integer(),
  /** reached here ÷ reached at the previous stage, 0–1; null for the first stage or when nothing reached the previous one. */
  conversion: Nullable(Type.Number()),
});
export type FunnelRow = Static<typeof FunnelRow>;
export const FunnelReport = Type.Object({
  period: ReportPeriod,
  rows: Type.Array(FunnelRow),
  /** Reached the last (won) stage ÷ reached the first; null when nothing entered the funnel. */
  overall: Nullable(Type.Number()),
  /** Of the deals created in the period, how many are lost now. */
  lost: Type.Integer(),
});
export type FunnelReport = Static<typeof FunnelReport>;

export const TimeInStageRow = Type.Object({
  stageId: Uuid,
  stageName: Type.String(),
  /** Finished stays (the deal has left the stage) of deals created in the period. */
  stays: Type.Integer(),
  averageDays: Nullable(Type.Number()),
  medianDays: Nullable(Type.Number()),
});
export type TimeInStageRow = Static<typeof TimeInStageRow>;
export const TimeInStageReport = Type.Object({ period: ReportPeriod, rows: Type.Array(TimeInStageRow) });
export type TimeInStageReport = Static<typeof TimeInStageReport>;

export const WonLostRow = Type.Object({ outcome: literals(['won', 'lost'] as const), currency: Type.String(), count: Type.Integer(), amount: Type.String() });
export type WonLostRow = Static<typeof WonLostRow>;
export const LostReasonRow = Type.Object({ reason: Nullable(Type.String()), currency: Type.String(), count: Type.Integer(), amount: Type.String() });
export type LostReasonRow = Static<typeof LostReasonRow>;
/** Deals that entered a won or lost stage in the period (and are still there). */
export const WonLostReport = Type.Object({ period: ReportPeriod, rows: Type.Array(WonLostRow), lostReasons: Type.Array(LostReasonRow) });
export type WonLostReport = Static<typeof WonLostReport>;

export const ManagerRow = Type.Object({
  ownerId: Uuid,
  ownerName: Type.String(),
  dealsCreated: Type.Integer(),
  wonCount: Type.Integer(),
  won: Type.Array(MoneySum),
  /** Open deals now, whatever the period. */
  open: Type.Array(MoneySum),
  /** Calls and meetings held in the period; null when the role may not read activities. */
  calls: Nullable(Type.Integer()),
  meetings: Nullable(Type.Integer()),
});
export type ManagerRow = Static<typeof ManagerRow>;
export const ManagersReport = Type.Object({ period: ReportPeriod, rows: Type.Array(ManagerRow) });
export type ManagersReport = Static<typeof ManagersReport>;

/** What came of the leads and deals attributed to one source or campaign in the period. */
const attributed = {
  /** Leads created in the period; null when the role may not read leads. */
  leads: Nullable(Type.Integer()),
  /** Deals created in the period with this source or campaign. */
  deals: Type.Integer(),
  /** Of those deals, the ones won now. */
  wonCount: Type.Integer(),
  won: Type.Array(MoneySum),
};
export const LeadSourceRow = Type.Object({ source: Type.String(), ...attributed });
export type LeadSourceRow = Static<typeof LeadSourceRow>;
export const LeadSourcesReport = Type.Object({ period: ReportPeriod, rows: Type.Array(LeadSourceRow) });
export type LeadSourcesReport = Static<typeof LeadSourcesReport>;

/** `campaign`: a lead's utm_campaign, a deal's campaign; null for the leads and deals without one. */
export const CampaignRow = Type.Object({ campaign: Nullable(Type.String()), ...attributed });
export type CampaignRow = Static<typeof CampaignRow>;
export const CampaignsReport = Type.Object({ period: ReportPeriod, rows: Type.Array(CampaignRow) });
export type CampaignsReport = Static<typeof CampaignsReport>;

export const ForecastRow = Type.Object({
  /** YYYY-MM of the expected close date. */
  month: Type.String(),
  currency: Type.String(),
  count: Type.Integer(),
  amount: Type.String(),
  /** Σ amount × stage probability. */
  weighted: Type.String(),
});
export type ForecastRow = Static<typeof ForecastRow>;
/** Open deals expected to close in the period, by month and currency. */
export const ForecastReport = Type.Object({ period: ReportPeriod, rows: Type.Array(ForecastRow) });
export type ForecastReport = Static<typeof ForecastReport>;

/** a ÷ b, or null when there is nothing to divide by. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Adds one currency's amount to a list of per-currency sums (decimal strings stay exact: cents as integers). */
export function addMoney(sums: MoneySum[], currency: string, amount: string): MoneySum[] {
  const cents = (value: string) => BigInt(value.replace('.', ''));
  const existing = sums.find((sum) => sum.currency === currency);
  if (!existing) return [...sums, { currency, amount }].sort((a, b) => a.currency.localeCompare(b.currency));
  const total = cents(existing.amount) + cents(amount);
  const text = total.toString().padStart(3, '0');
  return sums.map((sum) => (sum === existing ? { currency, amount: `${text.slice(0, -2)}.${text.slice(-2)}` } : sum));
}

export const PERIOD_PRESETS = ['this-month', 'last-month', 'this-quarter', 'this-year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

const iso = (year: number, month: number, day: number) => new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);

/** A preset as whole days (from, to inclusive) around `today` (YYYY-MM-DD in the workspace's calendar). */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1];
  switch (preset) {
    case 'this-month':
      return { from: iso(year, month, 1), to: iso(year, month + 1, 0) };
    case 'last-month':
      return { from: iso(year, month - 1, 1), to: iso(year, month, 0) };
    case 'this-quarter': {
      const first = month - (month % 3);
      return { from: iso(year, first, 1), to: iso(year, first + 3, 0) };
    }
    case 'this-year':
      return { from: iso(year, 0, 1), to: iso(year, 11, 31) };
  }
}

/**
 * RFC 4180 CSV with a byte-order mark (Excel then reads UTF-8, so Cyrillic survives) and CRLF line ends. A cell that
 * starts like a formula is prefixed with an apostrophe so a spreadsheet does not run it.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (value: string | number | null) => {
    if (value === null) return '';
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
