export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** Field-level differences for the audit log, limited to the fields a change may touch. */
export function diffFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const from = before[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from: from ?? null, to: to ?? null };
  }
  return changes;
}
