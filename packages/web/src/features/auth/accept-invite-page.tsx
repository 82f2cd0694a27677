import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/api-client';
import { startSession } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { LanguageSelect } from '../../components/language-select';
import { PublicLayout } from '../../components/public-layout';
import { useForm, useValidate } from '../../components/use-form';
import { applyLanguage, currentLanguage, type Language } from '../../i18n/i18n';
import { MIN_PASSWORD } from './reset-password-page';

export function AcceptInvitePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const errorText = useErrorText();
  const invite = useQuery({
    queryKey: ['invite', token],
    queryFn: () => api<{ email: string; workspaceName: string }>('GET', '/auth/invite', { query: { token } }),
    enabled: token.length >= 20,
    retry: false,
    staleTime: Infinity,
  });

  const invalid = token.length < 20 || invite.isError;
  return (
    <PublicLayout
      title={t('auth.invite.title')}
      subtitle={
        invite.data ? (
          <Trans i18nKey="auth.invite.subtitle" values={{ workspace: invite.data.workspaceName }} components={{ strong: <strong /> }} />
        ) : undefined
      }
    >
      {invalid ? (
        <Stack>
          <Alert color="red" role="alert">
            {invite.error ? errorText(invite.error) : t('errors.token_invalid')}
          </Alert>
          <Text size="sm" c="dimmed">
            {t('auth.invite.askAgain')}
          </Text>
          <Anchor component={Link} to="/login" size="sm">
            {t('auth.backToLogin')}
          </Anchor>
        </Stack>
      ) : invite.data ? (
        <AcceptForm token={token} email={invite.data.email} />
      ) : (
        <Text c="dimmed">{t('common.loading')}</Text>
      )}
    </PublicLayout>
  );
}

function AcceptForm({ token, email }: { token: string; email: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // The language field is the page's own language: switching either one switches both.
  const form = useForm({ name: '', password: '' });
  const validate = useValidate();

  const accept = useMutation({
    mutationFn: (body: { token: string; name: string; password: string; locale: Language }) => api<{ csrfToken: string }>('POST', '/auth/invite/accept', { body }),
    onSuccess: async ({ csrfToken }) => {
      await startSession(queryClient, csrfToken);
      await navigate('/', { replace: true });
    },
    onError: (error) => form.fail(error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { name: { required: true }, password: { required: true, minLength: MIN_PASSWORD } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    accept.mutate({ token, name: form.values.name.trim(), password: form.values.password, locale: currentLanguage() });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}
        <TextInput label={t('auth.email')} value={email} readOnly variant="filled" />
        <TextInput
          label={t('auth.yourName')}
          autoComplete="name"
          required
          value={form.values.name}
          onChange={(event) => form.set('name', event.currentTarget.value)}
          error={form.errors.name}
        />
        <PasswordInput
          label={t('auth.choosePassword')}
          description={t('auth.passwordHint', { limit: MIN_PASSWORD })}
          autoComplete="new-password"
          required
          value={form.values.password}
          onChange={(event) => form.set('password', event.currentTarget.value)}
          error={form.errors.password}
          visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
        />
        <LanguageSelect value={currentLanguage()} onChange={(language) => void applyLanguage(language)} />
        <Group justify="flex-end" mt="xs">
          <Button type="submit" loading={accept.isPending}>
            {t('auth.invite.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
