import { Alert, Anchor, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/api-client';
import { PublicLayout } from '../../components/public-layout';
import { useForm, useValidate } from '../../components/use-form';

export const MIN_PASSWORD = 10;

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const form = useForm({ password: '', confirm: '' });
  const validate = useValidate();

  const confirm = useMutation({
    mutationFn: (password: string) => api<void>('POST', '/auth/password-reset/confirm', { body: { token, password } }),
    onSuccess: () => navigate('/login?reset=done', { replace: true }),
    onError: (error) => form.fail(error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { password: { required: true, minLength: MIN_PASSWORD }, confirm: { required: true } });
    if (!errors.confirm && form.values.confirm !== form.values.password) errors.confirm = t('fieldErrors.passwordMismatch');
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    confirm.mutate(form.values.password);
  };

  return (
    <PublicLayout title={t('auth.reset.title')} subtitle={t('auth.reset.subtitle')}>
      {token.length < 20 ? (
        <Stack>
          <Alert color="red" role="alert">
            {t('errors.token_invalid')}
          </Alert>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t('auth.reset.requestAgain')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {form.formError ? (
              <Alert color="red" role="alert">
                {form.formError}
              </Alert>
            ) : null}
            <PasswordInput
              label={t('auth.newPassword')}
              description={t('auth.passwordHint', { limit: MIN_PASSWORD })}
              autoComplete="new-password"
              required
              value={form.values.password}
              onChange={(event) => form.set('password', event.currentTarget.value)}
              error={form.errors.password}
              visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
            />
            <PasswordInput
              label={t('auth.confirmPassword')}
              autoComplete="new-password"
              required
              value={form.values.confirm}
              onChange={(event) => form.set('confirm', event.currentTarget.value)}
              error={form.errors.confirm}
              visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
            />
            <Group justify="flex-end" mt="xs">
              <Button type="submit" loading={confirm.isPending}>
                {t('auth.reset.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
