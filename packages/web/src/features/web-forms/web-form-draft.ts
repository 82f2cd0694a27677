import { WEB_FORM_CUSTOM_KINDS, WEB_FORM_LEAD_FIELDS, type CustomField, type WebForm, type WebFormAssignMode, type WebFormBody } from '@rapport/shared';

/** One field the form may ask for: on the form or not, with the visitor's label and whether it is required. */
export interface FieldChoice {
  key: string;
  /** The field's name in Rapport (lead fields by i18n key, custom fields by their label). */
  custom: CustomField | null;
  on: boolean;
  label: string;
  required: boolean;
}

export interface WebFormDraft {
  name: string;
  fields: FieldChoice[];
  mode: WebFormAssignMode;
  userId: string | null;
  teamId: string | null;
  successMessage: string;
  redirectUrl: string;
  /** One origin a line. */
  allowedOrigins: string;
  enabled: boolean;
  /** The pipeline each request opens a deal in; null: leads only. */
  dealPipelineId: string | null;
}

/**
 * The editor's state: every lead field and every fillable lead custom field, the form's own first in its order, then the
 * rest. A new form starts with name, phone and e-mail, labelled in the admin's language.
 */
export function draftOf(form: WebForm | null, customFields: CustomField[], defaultLabel: (key: string) => string): WebFormDraft {
  const fillable = customFields.filter((field) => (WEB_FORM_CUSTOM_KINDS as readonly string[]).includes(field.kind));
  const all: FieldChoice[] = [
    ...WEB_FORM_LEAD_FIELDS.map((key) => ({ key, custom: null, on: false, label: defaultLabel(key), required: false })),
    ...fillable.map((field) => ({ key: `custom.${field.key}`, custom: field, on: false, label: field.label, required: field.required })),
  ];
  const chosen = form ? form.fields : [{ key: 'name', required: true }, { key: 'phone', required: true }, { key: 'email', required: false }].map((field) => ({ ...field, label: defaultLabel(field.key) }));
  const byKey = new Map(all.map((choice) => [choice.key, choice]));
  const first = chosen.flatMap((field) => {
    const choice = byKey.get(field.key);
    return choice ? [{ ...choice, on: true, label: field.label, required: field.required }] : [];
  });
  const picked = new Set(first.map((choice) => choice.key));
  return {
    name: form?.name ?? '',
    fields: [...first, ...all.filter((choice) => !picked.has(choice.key))],
    mode: form?.assignment.mode ?? 'user',
    userId: form?.assignment.userId ?? null,
    teamId: form?.assignment.teamId ?? null,
    successMessage: form?.successMessage ?? '',
    redirectUrl: form?.redirectUrl ?? '',
    allowedOrigins: (form?.allowedOrigins ?? []).join('\n'),
    enabled: form?.enabled ?? true,
    dealPipelineId: form?.dealPipelineId ?? null,
  };
}

export function toBody(draft: WebFormDraft): WebFormBody {
  return {
    name: draft.name.trim(),
    fields: draft.fields.filter((choice) => choice.on).map((choice) => ({ key: choice.key, label: choice.label.trim() || choice.key, required: choice.required })),
    assignment: draft.mode === 'user' ? { mode: 'user', userId: draft.userId } : { mode: draft.mode, teamId: draft.teamId },
    successMessage: draft.successMessage.trim(),
    redirectUrl: draft.redirectUrl.trim() || null,
    allowedOrigins: draft.allowedOrigins
      .split(/[\s,]+/)
      .map((origin) => origin.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    enabled: draft.enabled,
    dealPipelineId: draft.dealPipelineId,
  };
}

/** What the editor checks before sending, as i18n rule keys by field: the server would refuse the same. */
export function draftErrors(draft: WebFormDraft): Map<string, string> {
  const errors = new Map<string, string>();
  if (draft.name.trim() === '') errors.set('name', 'required');
  if (!draft.fields.some((choice) => choice.on && (choice.key === 'phone' || choice.key === 'email'))) errors.set('fields', 'needPhoneOrEmail');
  if (draft.mode === 'user' ? !draft.userId : !draft.teamId) errors.set('assignment', draft.mode === 'user' ? 'chooseUser' : 'chooseTeam');
  return errors;
}

/** A server field error's place in the editor: `/body/assignment/userId` → `assignment`, `/body/fields/2/key` → `fields`. */
export function editorFieldOf(path: string): string {
  return path.split('/')[2] ?? '';
}

/** The HTML an administrator pastes into a website: a placeholder and the script that draws the form into it. */
export function embedSnippet(origin: string, formId: string): string {
  return `<div data-rapport-form="${formId}"></div>\n<script src="${origin}/embed/forms.js" async></script>`;
}
