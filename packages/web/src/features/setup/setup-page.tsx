import { Alert, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import type { SetupBody } from '@rapport/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../api/api-client';
import { SETUP_KEY, startSession } from '../../app/session';
import { LanguageSelect } from '../../components/language-select';
import { PublicLayout } from '../../components/public-layout';
import { useForm, useValidate } from '../../components/use-form';
import { applyLanguage, currentLanguage } from '../../i18n/i18n';
import { MIN_PASSWORD } from '../auth/reset-password-page';

/** First run: creates the workspace and its administrator, then signs them in. */
export function SetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // The language field is the page's own language: switching either one switches both.
  const form = useForm({ workspaceName: '', name: '', email: '', password: '' });
  const validate = useValidate();

  const setup = useMutation({
    mutationFn: (body: SetupBody) => api<{ csrfToken: string }>('POST', '/setup', { body }),
    onSuccess: async ({ csrfToken }) => {
      queryClient.setQueryData(SETUP_KEY, { setUp: true });
      await startSession(queryClient, csrfToken);
      await navigate('/', { replace: true });
    },
    onError: (error) => {
      // Someone finished setup in another tab: this form is obsolete.
      if (isApiError(error) && error.code === 'already_set_up') void queryClient.invalidateQueries({ queryKey: SETUP_KEY });
      form.fail(error);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, {
      workspaceName: { required: true },
      name: { required: true },
      email: { required: true, email: true },
      password: { required: true, minLength: MIN_PASSWORD },
    });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    const { workspaceName, name, email, password } = form.values;
    setup.mutate({ workspaceName: workspaceName.trim(), name: name.trim(), email: email.trim(), password, locale: currentLanguage() });
  };

  return (
    <PublicLayout title={t('setup.title')} subtitle={t('setup.subtitle')} wide>
      <form onSubmit={submit} noValidate>
        <Stack>
          {form.formError ? (
            <Alert color="red" role="alert">
              {form.formError}
            </Alert>
          ) : null}
          <TextInput
            label={t('setup.workspaceName')}
            description={t('setup.workspaceHint')}
            required
            value={form.values.workspaceName}
            onChange={(event) => form.set('workspaceName', event.currentTarget.value)}
            error={form.errors.workspaceName}
          />
          <TextInput label={t('auth.yourName')} autoComplete="name" required value={form.values.name} onChange={(event) => form.set('name', event.currentTarget.value)} error={form.errors.name} />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            required
            value={form.values.email}
            onChange={(event) => form.set('email', event.currentTarget.value)}
            error={form.errors.email}
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('auth.passwordHint', { limit: MIN_PASSWORD })}
            autoComplete="new-password"
            required
            value={form.values.password}
            onChange={(event) => form.set('password', event.currentTarget.value)}
            error={form.errors.password}
            visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
          />
          <LanguageSelect value={currentLanguage()} description={t('setup.languageHint')} onChange={(language) => void applyLanguage(language)} />
          <Group justify="flex-end" mt="xs">
            <Button type="submit" loading={setup.isPending}>
              {t('setup.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </PublicLayout>
  );
}
