/**
 * A record's audited changes (column → { from, to }) as the fields a "field changed" start names them: columns in
 * camelCase (expected_close_date → expectedCloseDate), each custom field as custom.<key>.
 */
export function changedFields(changes: Record<string, { from: unknown; to: unknown }>): Map<string, { from: unknown; to: unknown }> {
  const fields = new Map<string, { from: unknown; to: unknown }>();
  for (const [column, change] of Object.entries(changes)) {
    if (column === 'custom') {
      const from = (change.from ?? {}) as Record<string, unknown>;
      const to = (change.to ?? {}) as Record<string, unknown>;
      for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
        if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) fields.set(`custom.${key}`, { from: from[key] ?? null, to: to[key] ?? null });
      }
    } else fields.set(column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), change);
  }
  return fields;
}

/** The value at a dotted path (custom.size) of a record's values. */
export function valueAt(values: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), values);
}

/**
 * The old and new value a trigger's condition reads: the new one as the record's values give it (typed as FEEL reads
 * the record), the old one from the change, made a number when the new one is (numeric columns arrive as text).
 */
export function oldAndNew(change: { from: unknown; to: unknown }, current: unknown): { oldValue: unknown; newValue: unknown } {
  const newValue = current === undefined ? change.to : current;
  const oldValue = typeof newValue === 'number' && typeof change.from === 'string' && change.from.trim() !== '' && !Number.isNaN(Number(change.from)) ? Number(change.from) : change.from;
  return { oldValue, newValue };
}
