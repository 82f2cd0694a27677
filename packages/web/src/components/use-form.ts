import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText, useFieldErrors } from './error-text';

export type Errors = Record<string, string>;

export interface FormState<T> {
  values: T;
  errors: Errors;
  /** A message about the whole form (an error without a field of this form). */
  formError: string | null;
  set<K extends keyof T>(key: K, value: T[K]): void;
  reset(values: T): void;
  setErrors(errors: Errors): void;
  /** Shows a failed request: field errors beside their fields, anything else above the form. */
  fail(error: unknown): void;
}

/** Plain controlled form state; editing a field clears its error. */
export function useForm<T extends object>(initial: T): FormState<T> {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrorsState] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const errorText = useErrorText();
  const fieldErrors = useFieldErrors();

  const set = useCallback(<K extends keyof T>(key: K, value: T[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrorsState((current) => {
      if (!(key in current)) return current;
      const next: Errors = {};
      for (const [name, message] of Object.entries(current)) if (name !== key) next[name] = message;
      return next;
    });
    setFormError(null);
  }, []);

  const reset = useCallback((next: T) => {
    setValues(next);
    setErrorsState({});
    setFormError(null);
  }, []);

  const setErrors = useCallback((next: Errors) => {
    setErrorsState(next);
    setFormError(null);
  }, []);

  const fail = useCallback(
    (error: unknown) => {
      const byField = fieldErrors(error);
      const own: Errors = {};
      for (const [field, message] of Object.entries(byField)) if (field in (values as object)) own[field] = message;
      setErrorsState(own);
      setFormError(Object.keys(own).length > 0 ? null : errorText(error));
    },
    [errorText, fieldErrors, values],
  );

  return { values, errors, formError, set, reset, setErrors, fail };
}

export interface Rules {
  required?: boolean;
  email?: boolean;
  minLength?: number;
}

/** Client-side checks matching the API's schema, so most mistakes are caught before a round trip. */
export function useValidate(): (values: object, rules: Record<string, Rules>) => Errors {
  const { t } = useTranslation();
  return useCallback(
    (values, rules) => {
      const errors: Errors = {};
      for (const [field, rule] of Object.entries(rules)) {
        const raw = (values as Record<string, unknown>)[field];
        const value = typeof raw === 'string' ? raw.trim() : raw;
        if (rule.required && (value === '' || value === null || value === undefined)) errors[field] = t('fieldErrors.required');
        else if (rule.email && typeof value === 'string' && value !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) errors[field] = t('fieldErrors.email');
        else if (rule.minLength && typeof raw === 'string' && raw.length > 0 && raw.length < rule.minLength) errors[field] = t('fieldErrors.tooShort', { limit: rule.minLength });
      }
      return errors;
    },
    [t],
  );
}
