import { Alert, Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/api-client';
import { RedirectIfSignedIn, safeNext } from '../../app/guards';
import { startSession } from '../../app/session';
import { PublicLayout } from '../../components/public-layout';
import { useForm, useValidate } from '../../components/use-form';

export function LoginPage() {
  return (
    <RedirectIfSignedIn>
      <LoginForm />
    </RedirectIfSignedIn>
  );
}

function LoginForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const form = useForm({ email: '', password: '' });
  const validate = useValidate();

  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) => api<{ csrfToken: string }>('POST', '/auth/login', { body }),
    onSuccess: async ({ csrfToken }) => {
      await startSession(queryClient, csrfToken);
      await navigate(safeNext(params.get('next')), { replace: true });
    },
    onError: (error) => form.fail(error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { email: { required: true, email: true }, password: { required: true } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    login.mutate({ email: form.values.email.trim(), password: form.values.password });
  };

  return (
    <PublicLayout title={t('auth.login.title')} subtitle={t('auth.login.subtitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {params.get('reset') === 'done' ? (
            <Alert color="green" role="status">
              {t('auth.reset.done')}
            </Alert>
          ) : null}
          {form.formError ? (
            <Alert color="red" role="alert">
              {form.formError}
            </Alert>
          ) : null}
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            value={form.values.email}
            onChange={(event) => form.set('email', event.currentTarget.value)}
            error={form.errors.email}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            value={form.values.password}
            onChange={(event) => form.set('password', event.currentTarget.value)}
            error={form.errors.password}
            visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
          />
          <Group justify="space-between" mt="xs">
            <Anchor component={Link} to="/forgot-password" size="sm">
              {t('auth.login.forgot')}
            </Anchor>
            <Button type="submit" loading={login.isPending}>
              {t('auth.login.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </PublicLayout>
  );
}
