/** Process variables as the card edits them: a type and the text typed for it. */
export const VARIABLE_TYPES = ['text', 'number', 'boolean', 'json'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export interface VariableDraft {
  name: string;
  /** The variable's name when it already exists: its name is then fixed (rename = remove it and add another). */
  original: string | null;
  type: VariableType;
  text: string;
  removed: boolean;
}

export function typeOf(value: unknown): VariableType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'text';
  return 'json';
}

export function draftOf(name: string, value: unknown): VariableDraft {
  const type = typeOf(value);
  return { name, original: name, type, text: type === 'json' ? JSON.stringify(value, null, 2) : String(value), removed: false };
}

/** The value a draft stands for; undefined when its text is not of its type. */
export function valueOf(draft: VariableDraft): unknown {
  if (draft.type === 'text') return draft.text;
  if (draft.type === 'boolean') return draft.text === 'true';
  if (draft.type === 'number') {
    const number = draft.text.trim() === '' ? Number.NaN : Number(draft.text);
    return Number.isFinite(number) ? number : undefined;
  }
  try {
    return JSON.parse(draft.text) as unknown;
  } catch {
    return undefined;
  }
}
