import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { ChecklistItem, PaymentDetails, ClientObject, FieldRules, Locale, NotifyEmailPrefs, PermissionMatrix, RobotAction, RobotRunStatus, RobotTrigger, TaskMemberInput, TaskMemberRole, TaskPriority, TaskStatus, Utm, WebFormAssignMode, WebFormField, ImportDelimiter, ImportEncoding, ImportFormat, ImportMode, ImportObject, ImportStatus, ProcessInstanceState, ProcessRecordType } from '@rapport/shared';

/** Table shapes as Kysely sees them; migrations/ is the source of truth. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

interface Tracked {
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string | null;
  updated_by: string | null;
  version: Generated<number>;
}

export interface WorkspaceTable {
  id: string;
  name: string;
  locale: string;
  country: Generated<string>;
  currency: string;
  timezone: string;
  overdue_escalation_hours: ColumnType<number | null, number | null | undefined, number | null>;
  payment_details: ColumnType<PaymentDetails, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface RoleTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  description: string;
  is_system: boolean;
  permissions: Json<PermissionMatrix>;
  field_rules: Json<FieldRules>;
  /** Most rows one export may hold; null: no limit. */
  export_row_limit: ColumnType<number | null, number | null | undefined, number | null>;
  deleted_at: Date | null;
}

export interface TeamTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  kind: 'department' | 'branch' | 'team';
  parent_id: string | null;
  head_id: string | null;
  deleted_at: Date | null;
}

export interface AppUserTable extends Tracked {
  workspace_id: string;
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  locale: 'en' | 'ru';
  status: 'active' | 'invited' | 'disabled';
  role_id: string;
  team_id: string | null;
  manager_id: string | null;
  notify_email: ColumnType<NotifyEmailPrefs, string | undefined, string>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  deleted_at: Date | null;
}

export interface SessionTable {
  id: string;
  workspace_id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface UserTokenTable {
  id: string;
  workspace_id: string;
  user_id: string;
  purpose: 'invite' | 'reset';
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface ApiKeyTable {
  workspace_id: string;
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  permissions: Json<PermissionMatrix>;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Timestamp;
  created_by: string | null;
}

export interface AuditLogTable {
  workspace_id: string;
  id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_type: 'user' | 'api_key' | 'system' | 'form';
  action: string;
  object_type: string;
  object_id: string | null;
  changes: Json<Record<string, { from: unknown; to: unknown }>> | null;
  meta: Json<Record<string, unknown>> | null;
  ip: string | null;
  request_id: string | null;
}

export interface OutboxTable {
  workspace_id: string;
  id: string;
  topic: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  dispatched_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface NotificationTable {
  workspace_id: string;
  id: string;
  user_id: string;
  kind: string;
  message_key: string;
  params: Json<Record<string, unknown>>;
  link: string | null;
  read_at: Date | null;
  created_at: Timestamp;
}

export interface MailMessageTable {
  workspace_id: string;
  id: string;
  to_address: string;
  subject: string;
  text: string;
  status: 'held' | 'queued' | 'sent' | 'failed';
  error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

export interface IdempotencyKeyTable {
  workspace_id: string;
  principal_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json<object | null> | null;
  created_at: Timestamp;
}

export interface PhoneValue {
  type: string;
  number: string;
  e164: string | null;
}
export interface EmailValue {
  type: string;
  email: string;
}
export interface MessengerValue {
  type: string;
  handle: string;
}

/** Columns every client record (company, contact, lead; deals all but phones and e-mails) has. */
export interface ClientRecordColumns extends Tracked {
  workspace_id: string;
  id: string;
  owner_id: string;
  team_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom: ColumnType<Record<string, unknown>, string | undefined, string>;
  phones: ColumnType<PhoneValue[], string | undefined, string>;
  emails: ColumnType<EmailValue[], string | undefined, string>;
  search_name: string;
  search_phones: ColumnType<string[], string[] | undefined, string[]>;
  search_emails: ColumnType<string[], string[] | undefined, string[]>;
  search_tax_ids: ColumnType<string[], string[] | undefined, string[]>;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
  merged_into: string | null;
  /** The latest interaction linked to the record; kept by a trigger (0003_activities.sql). */
  last_activity_at: ColumnType<Date | null, never, never>;
  /** The name lower-cased, generated by the database (0047_name_keys.sql): the name sort and "name contains" read it. */
  name_key: ColumnType<string, never, never>;
}

export interface CompanyTable extends ClientRecordColumns {
  name: string;
  legal_name: string | null;
  kind: Generated<'prospect' | 'customer' | 'partner' | 'competitor' | 'supplier'>;
  industry: string | null;
  vat: string | null;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  legal_address: string | null;
  actual_address: string | null;
  website: string | null;
  parent_id: string | null;
  status: Generated<'active' | 'inactive'>;
}

export interface ContactTable extends ClientRecordColumns {
  first_name: string;
  middle_name: string | null;
  last_name: string | null;
  full_name: string;
  position: string | null;
  messengers: ColumnType<MessengerValue[], string | undefined, string>;
  birthday: ColumnType<string | null, string | null | undefined, string | null>;
  address: string | null;
  photo_url: string | null;
  source: string | null;
  email_opt_in: Generated<boolean>;
  sms_opt_in: Generated<boolean>;
  /** The industries of the contact's live companies, kept by triggers (migration 0009); read by list filters only. */
  company_industries: ColumnType<string[], never, never>;
}

export interface ContactCompanyTable {
  workspace_id: string;
  contact_id: string;
  company_id: string;
  role: string | null;
  is_primary: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface LeadTable extends ClientRecordColumns {
  name: string;
  company_name: string | null;
  position: string | null;
  source: Generated<'website' | 'call' | 'email' | 'campaign' | 'referral' | 'other'>;
  status: Generated<'new' | 'in_work' | 'qualified' | 'disqualified'>;
  disqualify_reason: string | null;
  description: string | null;
  converted_at: Timestamp | null;
  converted_contact_id: string | null;
  converted_company_id: string | null;
  utm: ColumnType<Utm, string | undefined, string>;
  matched_contact_id: string | null;
}

/** numeric(18,2) arrives as a string ("1250.00") and is written as one. The search_* columns stay empty but for the name. */
export interface DealTable extends Omit<ClientRecordColumns, 'phones' | 'emails'> {
  title: string;
  pipeline_id: string;
  stage_id: string;
  /** The furthest non-lost stage position of its pipeline it entered (0029; kept by triggers, read by the funnel). */
  reached_position: Generated<number | null>;
  amount: ColumnType<string, string | undefined, string>;
  currency: string;
  company_id: string | null;
  expected_close_date: ColumnType<string | null, string | null | undefined, string | null>;
  source: 'website' | 'call' | 'email' | 'campaign' | 'referral' | 'other' | null;
  lost_reason: string | null;
  description: string | null;
  stage_entered_at: Timestamp;
  price_list_id: ColumnType<string | null, string | null | undefined, string | null>;
  campaign: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DealContactTable {
  workspace_id: string;
  deal_id: string;
  contact_id: string;
  role: string | null;
  created_at: Generated<Date>;
}

export interface DealStageHistoryTable {
  workspace_id: string;
  id: string;
  deal_id: string;
  from_stage_id: string | null;
  to_stage_id: string;
  entered_at: Timestamp;
  left_at: Timestamp | null;
  by_user_id: string | null;
}

export type ActivityKind = 'note' | 'call' | 'meeting' | 'email' | 'sms';

export interface ActivityTable extends Tracked {
  workspace_id: string;
  id: string;
  kind: ActivityKind;
  /** A note's text; for other kinds the free-text description (may be empty). */
  body: string | null;
  occurred_at: Timestamp;
  author_id: string | null;
  subject: string | null;
  direction: 'inbound' | 'outbound' | null;
  phone: string | null;
  phone_raw: string | null;
  duration_sec: number | null;
  result: string | null;
  recording_url: string | null;
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  /** Planned calls and meetings: remind the owner and participants this many minutes before the start. */
  reminder_minutes: number | null;
  place: string | null;
  email_from: string | null;
  email_to: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  status: 'planned' | 'done' | 'cancelled' | null;
  owner_id: string;
  team_id: string | null;
  deleted_at: Timestamp | null;
}

export interface ActivityParticipantTable {
  workspace_id: string;
  activity_id: string;
  user_id: string;
  /** The activity's times, set by triggers (0015_calendar_member_times.sql) so the calendar finds a person's range by index. */
  starts_at: ColumnType<Date | null, never, never>;
  ends_at: ColumnType<Date | null, never, never>;
}

export interface ActivityLinkTable {
  workspace_id: string;
  activity_id: string;
  subject_type: string;
  subject_id: string;
  occurred_at: Timestamp;
  /** The activity's kind, copied by a trigger (0007_activity_link_kind.sql) so a timeline filtered by kind is one index range. */
  kind: ColumnType<ActivityKind, never, never>;
}

export interface RecordAliasTable {
  workspace_id: string;
  object_type: string;
  alias_id: string;
  record_id: string;
  created_at: Generated<Date>;
}

export interface CustomFieldTable extends Tracked {
  workspace_id: string;
  id: string;
  object: 'company' | 'contact' | 'lead' | 'deal';
  key: string;
  label: string;
  kind: string;
  options: Json<{ value: string; label: string }[]>;
  relation_object: 'company' | 'contact' | 'lead' | 'deal' | null;
  currency: string | null;
  required: Generated<boolean>;
  filterable: Generated<boolean>;
  show_in_list: Generated<boolean>;
  position: Generated<number>;
  deleted_at: Timestamp | null;
}

export interface SavedViewTable extends Tracked {
  workspace_id: string;
  id: string;
  object: 'company' | 'contact' | 'lead' | 'deal';
  name: string;
  owner_id: string;
  visibility: 'private' | 'team' | 'workspace';
  team_id: string | null;
  filter: string | null;
  sort: string | null;
  columns: ColumnType<string[], string[] | undefined, string[]>;
  deleted_at: Timestamp | null;
}

export interface DB {
  workspace: WorkspaceTable;
  role: RoleTable;
  team: TeamTable;
  app_user: AppUserTable;
  session: SessionTable;
  user_token: UserTokenTable;
  api_key: ApiKeyTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  notification: NotificationTable;
  mail_message: MailMessageTable;
  idempotency_key: IdempotencyKeyTable;
  company: CompanyTable;
  contact: ContactTable;
  contact_company: ContactCompanyTable;
  lead: LeadTable;
  deal: DealTable;
  deal_contact: DealContactTable;
  deal_stage_history: DealStageHistoryTable;
  activity: ActivityTable;
  activity_link: ActivityLinkTable;
  activity_participant: ActivityParticipantTable;
  record_alias: RecordAliasTable;
  custom_field: CustomFieldTable;
  saved_view: SavedViewTable;
  task: TaskTable;
  task_member: TaskMemberTable;
  task_comment: TaskCommentTable;
  task_template: TaskTemplateTable;
  task_series: TaskSeriesTable;
  reminder: ReminderTable;
  calendar_feed: CalendarFeedTable;
  birthday_reminder: BirthdayReminderTable;
  attachment: AttachmentTable;
  pipeline: PipelineTable;
  pipeline_stage: PipelineStageTable;
  product: ProductTable;
  price_list: PriceListTable;
  price_list_item: PriceListItemTable;
  document_template: DocumentTemplateTable;
  deal_item: DealItemTable;
  web_form: WebFormTable;
  import_job: ImportJobTable;
  import_record: ImportRecordTable;
  import_rejected_row: ImportRejectedRowTable;
  import_mapping: ImportMappingTable;
  web_form_submission: WebFormSubmissionTable;
  stage_rule: StageRuleTable;
  robot_run: RobotRunTable;
  lead_distribution_rule: LeadDistributionRuleTable;
  lead_assignment: LeadAssignmentTable;
  process_definition: ProcessDefinitionTable;
  process_version: ProcessVersionTable;
  process_instance: ProcessInstanceTable;
  process_token: ProcessTokenTable;
  process_event: ProcessEventTable;
  process_timer: ProcessTimerTable;
  process_user_task: ProcessUserTaskTable;
  process_start_timer: ProcessStartTimerTable;
  process_comment: ProcessCommentTable;
}

export interface TaskTable extends Tracked {
  workspace_id: string;
  id: string;
  title: string;
  description: string | null;
  owner_id: string;
  team_id: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  start_at: Timestamp | null;
  due_at: Timestamp | null;
  all_day: Generated<boolean>;
  completed_at: Timestamp | null;
  subject_type: string | null;
  subject_id: string | null;
  checklist: Json<ChecklistItem[]>;
  series_id: string | null;
  template_id: string | null;
  /** A process step with required form fields: done only through its form, never from the task list. */
  form_only: Generated<boolean>;
  overdue_notified_at: Timestamp | null;
  escalate_at: Timestamp | null;
  escalated_at: Timestamp | null;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
}

export interface TaskMemberTable {
  workspace_id: string;
  task_id: string;
  user_id: string;
  role: TaskMemberRole;
  created_at: Generated<Date>;
  /** The task's times, set by triggers (0015_calendar_member_times.sql) so the calendar finds a person's range by index. */
  start_at: ColumnType<Date | null, never, never>;
  due_at: ColumnType<Date | null, never, never>;
}

export interface TaskCommentTable extends Tracked {
  workspace_id: string;
  id: string;
  task_id: string;
  body: string;
  deleted_at: Timestamp | null;
}

export interface TaskTemplateTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  title: string;
  description: string | null;
  priority: TaskPriority;
  checklist: Json<{ text: string }[]>;
  due_offset_minutes: number | null;
  assignee_id: string | null;
  deleted_at: Timestamp | null;
}

export interface TaskSeriesTable extends Tracked {
  workspace_id: string;
  id: string;
  rule: string;
  dtstart: Timestamp;
  timezone: string;
  start_offset_minutes: number | null;
  title: string;
  description: string | null;
  priority: TaskPriority;
  owner_id: string;
  team_id: string | null;
  all_day: Generated<boolean>;
  subject_type: string | null;
  subject_id: string | null;
  checklist: Json<ChecklistItem[]>;
  members: Json<TaskMemberInput[]>;
  reminder_minutes: ColumnType<number[], number[] | undefined, number[]>;
  template_id: string | null;
  next_occurrence_at: Timestamp | null;
  next_run_at: Timestamp | null;
  last_run_at: Timestamp | null;
  occurrences: Generated<number>;
  ended_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

export interface ReminderTable {
  workspace_id: string;
  id: string;
  user_id: string;
  task_id: string | null;
  activity_id: string | null;
  fire_at: Timestamp;
  before_minutes: number | null;
  fired_at: Timestamp | null;
  late: Generated<boolean>;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface CalendarFeedTable {
  workspace_id: string;
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  created_by: string | null;
  revoked_at: Timestamp | null;
}

export interface BirthdayReminderTable {
  workspace_id: string;
  fire_at: Timestamp;
  fired_at: Timestamp | null;
  late: Generated<boolean>;
  covered_through: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AttachmentTable {
  workspace_id: string;
  id: string;
  subject_type: 'company' | 'contact' | 'lead' | 'deal';
  subject_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Timestamp;
  created_by: string | null;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
}

export interface PipelineTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  position: number;
  is_default: Generated<boolean>;
  archived_at: Timestamp | null;
}

export interface PipelineStageTable {
  workspace_id: string;
  id: string;
  pipeline_id: string;
  name: string;
  color: string;
  probability: number;
  kind: 'open' | 'won' | 'lost';
  rotting_days: number | null;
  position: number;
  created_at: Timestamp;
}

/** numeric(18,2) and numeric(5,2) arrive as strings ("1250.00") on both backends and are written as strings. */
export interface ProductTable extends Tracked {
  workspace_id: string;
  id: string;
  sku: string;
  name: string;
  description: Generated<string>;
  unit: Generated<string>;
  price: string;
  currency: string;
  tax_rate: Generated<string>;
  archived_at: Timestamp | null;
}

export interface PriceListTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  currency: string;
  is_default: Generated<boolean>;
  archived_at: Timestamp | null;
}

/** valid_from / valid_to are `date` columns, read back as YYYY-MM-DD text. */
export interface PriceListItemTable {
  workspace_id: string;
  price_list_id: string;
  product_id: string;
  position: number;
  price: string;
  valid_from: string | null;
  valid_to: string | null;
}

export interface DocumentTemplateTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  object: ClientObject;
  locale: Locale;
  file_name: string;
  sha256: string;
  size_bytes: number;
  fields: Generated<string[]>;
  archived_at: Timestamp | null;
}

export interface WebFormTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  fields: Json<WebFormField[]>;
  assign_mode: WebFormAssignMode;
  assign_user_id: string | null;
  assign_team_id: string | null;
  last_assignee_id: string | null;
  success_message: Generated<string>;
  redirect_url: string | null;
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
  enabled: Generated<boolean>;
  deal_pipeline_id: string | null;
  deleted_at: Timestamp | null;
}

export interface WebFormSubmissionTable {
  workspace_id: string;
  id: string;
  form_id: string;
  created_at: Timestamp;
  lead_id: string;
  owner_id: string;
  matched_contact_id: string | null;
  deal_id: string | null;
  utm: Json<Utm>;
  referrer: string | null;
  page_url: string | null;
  ip: string | null;
}

export interface DealItemTable {
  workspace_id: string;
  id: string;
  deal_id: string;
  position: number;
  product_id: string | null;
  name: string;
  sku: string | null;
  unit: Generated<string>;
  quantity: string;
  price: string;
  discount_percent: Generated<string>;
  tax_rate: Generated<string>;
  net: string;
  tax: string;
  total: string;
}

export interface StageRuleTable extends Tracked {
  workspace_id: string;
  id: string;
  stage_id: string;
  name: string;
  trigger: RobotTrigger;
  idle_hours: number | null;
  condition: string | null;
  actions: Json<RobotAction[]>;
  position: Generated<number>;
  deleted_at: Timestamp | null;
}

export interface RobotRunTable {
  workspace_id: string;
  id: string;
  deal_id: string;
  rule_id: string;
  stage_entry_id: string;
  action_index: number;
  action_type: string;
  status: RobotRunStatus;
  attempts: Generated<number>;
  error: string | null;
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface LeadDistributionRuleTable extends Tracked {
  workspace_id: string;
  id: string;
  name: string;
  position: number;
  enabled: Generated<boolean>;
  sources: ColumnType<string[], string[] | undefined, string[]>;
  form_ids: ColumnType<string[], string[] | undefined, string[]>;
  product_ids: ColumnType<string[], string[] | undefined, string[]>;
  region_field: string | null;
  region_values: ColumnType<string[], string[] | undefined, string[]>;
  assign_mode: WebFormAssignMode;
  assign_user_id: string | null;
  assign_team_id: string | null;
  last_assignee_id: string | null;
  work_days: number[] | null;
  work_from: number | null;
  work_to: number | null;
  reassign_minutes: number | null;
  reassign_max: Generated<number>;
  deleted_at: Timestamp | null;
}

export interface LeadAssignmentTable {
  workspace_id: string;
  lead_id: string;
  rule_id: string;
  task_id: string;
  owner_id: string;
  product_id: string | null;
  assigned_at: Timestamp;
  reassign_at: Timestamp | null;
  reassign_count: Generated<number>;
  created_at: Generated<Date>;
}

export interface ImportJobTable extends Tracked {
  workspace_id: string;
  id: string;
  object: ImportObject;
  status: ImportStatus;
  file_name: string;
  file_sha256: string;
  file_size: number;
  format: Generated<ImportFormat>;
  encoding: ImportEncoding;
  delimiter: ImportDelimiter;
  headers: Json<string[]>;
  mapping: Json<(string | null)[]>;
  default_country: string;
  file_locale: 'en' | 'ru';
  mode: ImportMode;
  total_rows: number;
  rows_done: Generated<number>;
  created_count: Generated<number>;
  updated_count: Generated<number>;
  skipped_count: Generated<number>;
  rejected_count: Generated<number>;
  error: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  undone_at: Timestamp | null;
}

export interface ImportRecordTable {
  workspace_id: string;
  import_id: string;
  object: ImportObject;
  record_id: string;
  action: 'created' | 'updated';
  row_number: number;
  before: Json<Record<string, unknown>> | null;
  version_after: number;
}

export interface ImportRejectedRowTable {
  workspace_id: string;
  import_id: string;
  row_number: number;
  cells: Json<string[]>;
  reason: string;
}

export interface ImportMappingTable extends Tracked {
  workspace_id: string;
  id: string;
  object: ImportObject;
  name: string;
  columns: Json<Record<string, string>>;
}

export interface ProcessDefinitionTable extends Tracked {
  workspace_id: string;
  id: string;
  key: string;
  name: string;
  description: string | null;
  draft_xml: string;
  latest_version: number | null;
  start_triggers: ColumnType<ProcessStartTrigger[], string | undefined, string>;
  deleted_at: Timestamp | null;
}

/** A CRM event (or, with event "signal", a signal) a deployed version starts on, kept on its definition for the outbox dispatcher. */
export interface ProcessStartTrigger {
  elementId: string;
  event: string;
  /** The signal's name, for a signal start event. */
  signal?: string;
  object: string;
  stageId: string | null;
  field: string | null;
  condition: string | null;
}

export interface ProcessVersionTable {
  workspace_id: string;
  id: string;
  definition_id: string;
  number: number;
  xml: string;
  deployed_by: string | null;
  deployed_at: Timestamp;
  /** The signals the version's instances can wait for. */
  signals: ColumnType<string[], string[] | undefined, string[]>;
  /** The BPMN process id, the name call activities call the version by. */
  process_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProcessInstanceTable extends Tracked {
  workspace_id: string;
  id: string;
  definition_id: string;
  version_id: string;
  version_number: number;
  state: ProcessInstanceState;
  record_type: ProcessRecordType | null;
  record_id: string | null;
  variables: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: string | null;
  owner_id: string;
  team_id: string | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  /** The instance whose call activity started this one, and that activity's token. */
  parent_instance_id: ColumnType<string | null, string | null | undefined, string | null>;
  parent_token_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ProcessTokenState = 'active' | 'waiting' | 'done' | 'cancelled' | 'failed';

export interface ProcessTokenTable {
  workspace_id: string;
  id: string;
  instance_id: string;
  element_id: string;
  parent_id: string | null;
  state: ProcessTokenState;
  via_flow: string | null;
  error: string | null;
  entered_at: Timestamp;
  left_at: Timestamp | null;
}

export interface ProcessEventTable {
  workspace_id: string;
  id: string;
  instance_id: string;
  at: Timestamp;
  kind: string;
  element_id: string | null;
  user_id: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface ProcessCommentTable {
  workspace_id: string;
  id: string;
  instance_id: string;
  kind: 'comment' | 'question';
  body: string;
  created_at: Timestamp;
  created_by: string;
}

export interface ProcessTimerTable {
  workspace_id: string;
  id: string;
  instance_id: string;
  token_id: string;
  element_id: string;
  kind: 'timer' | 'service';
  due_at: Timestamp;
  fired_at: Timestamp | null;
  attempts: Generated<number>;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface ProcessUserTaskTable {
  workspace_id: string;
  task_id: string;
  instance_id: string;
  token_id: string;
  element_id: string;
  assignee_id: string;
  status: 'open' | 'done' | 'cancelled';
  form: ColumnType<unknown[], string | undefined, string>;
  created_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface ProcessStartTimerTable {
  workspace_id: string;
  id: string;
  definition_id: string;
  version_number: number;
  element_id: string;
  due_at: Timestamp;
  fired_at: Timestamp | null;
  interval_ms: ColumnType<number | null, number | null | undefined, number | null>;
  repeat: number | null;
  created_at: Generated<Date>;
}
