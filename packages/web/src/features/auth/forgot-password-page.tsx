import { Alert, Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/api-client';
import { PublicLayout } from '../../components/public-layout';
import { useForm, useValidate } from '../../components/use-form';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const form = useForm({ email: '' });
  const validate = useValidate();
  const request = useMutation({
    mutationFn: (email: string) => api<void>('POST', '/auth/password-reset', { body: { email } }),
    onError: (error) => form.fail(error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { email: { required: true, email: true } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    request.mutate(form.values.email.trim());
  };

  return (
    <PublicLayout title={t('auth.forgot.title')} subtitle={t('auth.forgot.subtitle')}>
      {request.isSuccess ? (
        <Stack>
          {/* The same answer whether or not the address exists: the form must not reveal who has an account. */}
          <Alert color="green" role="status">
            {t('auth.forgot.sent')}
          </Alert>
          <Anchor component={Link} to="/login" size="sm">
            {t('auth.backToLogin')}
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
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="email"
              required
              value={form.values.email}
              onChange={(event) => form.set('email', event.currentTarget.value)}
              error={form.errors.email}
            />
            <Group justify="space-between" mt="xs">
              <Anchor component={Link} to="/login" size="sm">
                {t('auth.backToLogin')}
              </Anchor>
              <Button type="submit" loading={request.isPending}>
                {t('auth.forgot.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
