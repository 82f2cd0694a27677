import { Alert, Button, Card, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/session';
import { PageHeader } from '../../components/page-header';
import { useToast } from '../../components/toast-center';
import { useForm, useValidate } from '../../components/use-form';
import { currentLanguage, isLanguage, LANGUAGES } from '../../i18n/i18n';
import { IcsFeedSection } from '../calendar/ics-feed-section';
import { NotifyEmailSection } from '../tasks/notify-email-section';
import { useChangeLanguage, useUpdateProfile } from './use-profile';

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const update = useUpdateProfile();
  const changeLanguage = useChangeLanguage();
  const validate = useValidate();
  const form = useForm({ name: me.user.name });

  const roleName = me.user.roleName;
  const teamName = me.user.teamName;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { name: { required: true } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    update.mutate({ name: form.values.name.trim() }, { onSuccess: () => toast({ color: 'green', message: t('profile.saved') }), onError: (error) => form.fail(error) });
  };

  return (
    <>
      <PageHeader title={t('profile.title')} description={t('profile.description')} />
      <Stack maw={640} gap="md">
        <Card withBorder radius="md" padding="lg">
          <form onSubmit={submit} noValidate>
            <Stack>
              {form.formError ? (
                <Alert color="red" role="alert">
                  {form.formError}
                </Alert>
              ) : null}
              <TextInput label={t('profile.name')} required value={form.values.name} onChange={(event) => form.set('name', event.currentTarget.value)} error={form.errors.name} />
              <TextInput label={t('profile.email')} value={me.user.email} readOnly variant="filled" />
              <Group justify="flex-end">
                <Button type="submit" loading={update.isPending} disabled={form.values.name.trim() === me.user.name}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
        <Card withBorder radius="md" padding="lg">
          <Title order={2} size="h4" mb={4} id="language-heading">
            {t('language.label')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('profile.languageHint')}
          </Text>
          <SegmentedControl
            aria-labelledby="language-heading"
            value={currentLanguage()}
            onChange={(value) => {
              if (isLanguage(value)) changeLanguage(value);
            }}
            data={LANGUAGES.map((code) => ({ value: code, label: t(`language.${code}`) }))}
          />
        </Card>
        <Card withBorder radius="md" padding="lg">
          <Title order={2} size="h4" mb="sm">
            {t('profile.access')}
          </Title>
          <Stack gap={6}>
            <Text size="sm">
              <Text span c="dimmed">
                {t('home.role')}:
              </Text>{' '}
              {roleName}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('home.team')}:
              </Text>{' '}
              {teamName ?? t('home.noTeam')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('profile.accessHint')}
            </Text>
          </Stack>
        </Card>
        <NotifyEmailSection />
        <IcsFeedSection />
      </Stack>
    </>
  );
}
