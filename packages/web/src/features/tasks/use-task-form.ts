import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-client';
import { useErrorText, useFieldMessage } from '../../components/error-text';
import { draftErrors, fieldOfPath, taskMessageKey, type DraftErrors, type TaskDraft } from './task-draft';
import type { SetDraft } from './task-fields';

/** A task form's state: the draft, field errors (translated sentences) and a message for the whole form. */
export function useTaskForm(initial: () => TaskDraft) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const [draft, setDraft] = useState<TaskDraft>(initial);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const set: SetDraft = (key, value) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
    setFormError(null);
  };

  /** Several fields at once (all day moves the times with it); the changed fields' errors go. */
  const replace = (next: TaskDraft) => {
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => next[key as keyof TaskDraft] === draft[key as keyof TaskDraft])));
    setDraft(next);
    setFormError(null);
  };

  /** Server field errors beside their fields (task wording first, then the common one); others above the form. */
  const fail = (failure: unknown) => {
    const byField: DraftErrors = {};
    if (isApiError(failure)) {
      for (const fieldError of failure.fieldErrors) {
        const field = fieldOfPath(fieldError.path);
        const key = taskMessageKey(fieldError.message);
        if (field && !byField[field]) byField[field] = key ? t(key) : fieldMessage(fieldError.message);
      }
    }
    setErrors(byField);
    setFormError(Object.keys(byField).length > 0 ? null : errorText(failure));
  };

  /** The checks the API would make, before sending; true when the draft may go. */
  const check = (now: Date): boolean => {
    const found = draftErrors(draft, now);
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])));
    return Object.keys(found).length === 0;
  };

  return { draft, setDraft, set, replace, errors, formError, fail, check };
}
