import { Type, type Static, type TSchema } from 'typebox';
import { NotifyEmailPrefs } from './notification-kinds.js';
import { FIELD_ACCESS, PERMISSION_ACTIONS, PERMISSION_OBJECTS, SCOPES, type FieldRules, type PermissionMatrix } from './permissions.js';

/** API contracts shared by the server (validation, OpenAPI) and the web client (types). */

export const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.Enum([...values]));

/** A value or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 10, maxLength: 200 });
export const Locale = literals(['en', 'ru'] as const);
export type Locale = Static<typeof Locale>;
export const DateTime = Type.String({ format: 'date-time' });

export const ScopeSchema = literals(SCOPES);
const ActionScopes = Type.Object(Object.fromEntries(PERMISSION_ACTIONS.map((action) => [action, Type.Optional(ScopeSchema)])), { additionalProperties: false });
/** Partial: an object or action left out means no right. Unknown objects and actions are rejected. */
export const PermissionMatrixSchema = Type.Unsafe<PermissionMatrix>(
  Type.Object(Object.fromEntries(PERMISSION_OBJECTS.map((object) => [object, Type.Optional(ActionScopes)])), { additionalProperties: false }),
);
export const FieldRulesSchema = Type.Unsafe<FieldRules>(
  Type.Object(
    Object.fromEntries(PERMISSION_OBJECTS.map((object) => [object, Type.Optional(Type.Record(Type.String({ maxLength: 100 }), literals(FIELD_ACCESS)))])),
    { additionalProperties: false },
  ),
);

/** A page of a keyset-paginated list; `nextCursor` is null on the last page. */
export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

export const PageQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), cursor: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    filter: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const SetupStatus = Type.Object({ setUp: Type.Boolean() });
export const SetupBody = Type.Object(
  {
    workspaceName: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Email,
    password: Password,
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

export const LoginBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  user: Type.Object({
    id: Uuid,
    name: Type.String(),
    email: Type.String(),
    locale: Locale,
    roleId: Uuid,
    /** Names are here because a user may lack the right to list roles and teams but should still see their own. */
    roleName: Type.String(),
    teamId: Type.Union([Uuid, Type.Null()]),
    teamName: Type.Union([Type.String(), Type.Null()]),
    /** Which notifications also come by e-mail: every kind, with the default where the user has not chosen. */
    notifyEmail: NotifyEmailPrefs,
  }),
  workspace: Type.Object({ id: Uuid, name: Type.String(), currency: Type.String(), timezone: Type.String() }),
  permissions: PermissionMatrixSchema,
  fieldRules: FieldRulesSchema,
  csrfToken: Type.String(),
});
export type Me = Static<typeof Me>;

export const PasswordResetRequest = Type.Object({ email: Email }, { additionalProperties: false });
export const TokenPasswordBody = Type.Object({ token: Type.String({ minLength: 20, maxLength: 200 }), password: Password }, { additionalProperties: false });
export const AcceptInviteBody = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 200 }), name: Type.String({ minLength: 1, maxLength: 200 }), password: Password, locale: Type.Optional(Locale) },
  { additionalProperties: false },
);
export const InviteInfo = Type.Object({ email: Type.String(), workspaceName: Type.String() });

export const UserStatus = literals(['active', 'invited', 'disabled'] as const);
export const User = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  locale: Locale,
  status: UserStatus,
  roleId: Uuid,
  teamId: Type.Union([Uuid, Type.Null()]),
  managerId: Type.Union([Uuid, Type.Null()]),
  lastLoginAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type User = Static<typeof User>;

/** The version an update was based on; it may come in If-Match instead (ARCHITECTURE §5), so it is optional here. */
export const BodyVersion = Type.Optional(Type.Integer({ minimum: 1 }));

export const InviteUserBody = Type.Object(
  { email: Email, name: Type.Optional(Type.String({ maxLength: 200 })), roleId: Uuid, teamId: Type.Optional(Type.Union([Uuid, Type.Null()])), locale: Type.Optional(Locale) },
  { additionalProperties: false },
);
export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    roleId: Type.Optional(Uuid),
    teamId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    managerId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    status: Type.Optional(literals(['active', 'disabled'] as const)),
    locale: Type.Optional(Locale),
    version: BodyVersion,
  },
  { additionalProperties: false },
);
export const UpdateProfileBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), locale: Type.Optional(Locale), notifyEmail: Type.Optional(NotifyEmailPrefs) },
  { additionalProperties: false },
);

export const TeamKind = literals(['department', 'branch', 'team'] as const);
export const Team = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: TeamKind,
  parentId: Type.Union([Uuid, Type.Null()]),
  headId: Type.Union([Uuid, Type.Null()]),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type Team = Static<typeof Team>;
export const TeamBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Optional(TeamKind),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    headId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false },
);
export const TeamUpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.Optional(TeamKind),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    headId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    version: BodyVersion,
  },
  { additionalProperties: false },
);

export const Role = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  isSystem: Type.Boolean(),
  permissions: PermissionMatrixSchema,
  fieldRules: FieldRulesSchema,
  /** The most rows one export by this role may hold; null: no limit. A larger export is refused. */
  exportRowLimit: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  createdAt: DateTime,
  version: Type.Integer(),
});
export type Role = Static<typeof Role>;
const ExportRowLimit = Type.Union([Type.Integer({ minimum: 1, maximum: 100_000_000 }), Type.Null()], { description: 'The most rows one export may hold; null for no limit' });
export const RoleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    permissions: PermissionMatrixSchema,
    fieldRules: Type.Optional(FieldRulesSchema),
    exportRowLimit: Type.Optional(ExportRowLimit),
  },
  { additionalProperties: false },
);
export const RoleUpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    permissions: Type.Optional(PermissionMatrixSchema),
    fieldRules: Type.Optional(FieldRulesSchema),
    exportRowLimit: Type.Optional(ExportRowLimit),
    version: BodyVersion,
  },
  { additionalProperties: false },
);

export const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  userId: Uuid,
  permissions: PermissionMatrixSchema,
  expiresAt: Type.Union([DateTime, Type.Null()]),
  lastUsedAt: Type.Union([DateTime, Type.Null()]),
  revokedAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
});
export type ApiKey = Static<typeof ApiKey>;
export const ApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** Narrows the owner's own rights; the key never gets more than its user has. */
    permissions: PermissionMatrixSchema,
    expiresAt: Type.Optional(Type.Union([DateTime, Type.Null()])),
  },
  { additionalProperties: false },
);
export const ApiKeyCreated = Type.Object({ apiKey: ApiKey, secret: Type.String() });

export const AuditEntry = Type.Object({
  id: Uuid,
  at: DateTime,
  actorId: Type.Union([Uuid, Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.Union([Type.String(), Type.Null()]),
  changes: Type.Union([Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })), Type.Null()]),
  meta: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const Notification = Type.Object({
  id: Uuid,
  kind: Type.String(),
  /** i18n key and its parameters: the web renders it in the reader's language. */
  messageKey: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  link: Type.Union([Type.String(), Type.Null()]),
  readAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
});
export type Notification = Static<typeof Notification>;
export const NotificationList = Type.Object({ items: Type.Array(Notification), nextCursor: Type.Union([Type.String(), Type.Null()]), unread: Type.Integer() });

export const MailMessage = Type.Object({
  id: Uuid,
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  status: literals(['held', 'queued', 'sent', 'failed'] as const),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
});
export type MailMessage = Static<typeof MailMessage>;
