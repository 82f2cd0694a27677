import { useCallback } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { fieldOf, isApiError } from '../api/api-client';

/**
 * The translated sentence for an error: a refused value's own sentence when the server named a known one (a task list
 * cannot say which field it was), else its problem code's (`errors.<code>`).
 */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (!isApiError(error)) return t('errors.internal');
      const first = error.code === 'validation' ? error.fieldErrors[0] : undefined;
      return (first && knownFieldMessage(t, first.message)) ?? t(`errors.${error.code}`, { defaultValue: t('errors.internal') });
    },
    [t],
  );
}

// Server field messages are English and technical; they are mapped to translated sentences by what they say.
const FIELD_MESSAGES: { test: RegExp; key: string; limit?: (match: RegExpExecArray) => number }[] = [
  { test: /already (in use|taken)/i, key: 'fieldErrors.inUse' },
  { test: /no such/i, key: 'fieldErrors.notFound' },
  { test: /format "email"/i, key: 'fieldErrors.email' },
  { test: /fewer than (\d+) characters/i, key: 'fieldErrors.tooShort', limit: (match) => Number(match[1]) },
  { test: /more than (\d+) characters/i, key: 'fieldErrors.tooLong', limit: (match) => Number(match[1]) },
  { test: /required property/i, key: 'fieldErrors.required' },
  { test: /cannot manage themselves/i, key: 'fieldErrors.selfManager' },
  { test: /below itself/i, key: 'fieldErrors.teamCycle' },
  { test: /accepting the invitation/i, key: 'fieldErrors.invitedStatus' },
  { test: /phone number we can read/i, key: 'fieldErrors.phone' },
  { test: /valid e-mail|expected an e-mail/i, key: 'fieldErrors.email' },
  { test: /must match pattern/i, key: 'fieldErrors.pattern' },
  { test: /would make a cycle/i, key: 'fieldErrors.companyCycle' },
  { test: /^required$/i, key: 'fieldErrors.required' },
  { test: /expected a number/i, key: 'fieldErrors.number' },
  { test: /expected a date/i, key: 'fieldErrors.date' },
  { test: /expected an? (http\(s\) )?URL|format "uri"/i, key: 'fieldErrors.url' },
  { test: /outside your assign scope/i, key: 'fieldErrors.assignScope' },
  { test: /unknown custom field/i, key: 'fieldErrors.unknownField' },
  { test: /complete it with its form/i, key: 'fieldErrors.formOnly' },
];

/** The translated sentence of a server field message this file knows, or undefined. */
function knownFieldMessage(t: TFunction, message: string): string | undefined {
  for (const known of FIELD_MESSAGES) {
    const match = known.test.exec(message);
    if (match) return t(known.key, { limit: known.limit?.(match) ?? 0 });
  }
  return undefined;
}

/** A server field message as a translated sentence ("Fill this in", "Not a phone number"), or the generic one. */
export function useFieldMessage(): (message: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (message: string) => knownFieldMessage(t, message) ?? t('fieldErrors.invalid'),
    [t],
  );
}

/** Field errors of a failed request, keyed by form field, as translated sentences. */
export function useFieldErrors(): (error: unknown) => Record<string, string> {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      const result: Record<string, string> = {};
      if (!isApiError(error)) return result;
      for (const fieldError of error.fieldErrors) {
        const field = fieldOf(fieldError.path);
        if (!field || result[field]) continue;
        result[field] = knownFieldMessage(t, fieldError.message) ?? t('fieldErrors.invalid');
      }
      return result;
    },
    [t],
  );
}
