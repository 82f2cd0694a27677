import type { MailMessage, PageOf } from '@rapport/shared';
import { Alert, Button, Code, CopyButton, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/api-client';
import { useCan } from '../../app/session';
import { LanguageSelect } from '../../components/language-select';
import { useForm, useValidate } from '../../components/use-form';
import { currentLanguage, type Language } from '../../i18n/i18n';
import { linksIn, MAIL_KEY } from '../mail-outbox/use-mail-outbox';
import { useRoles } from '../roles/use-roles';
import { teamOptions } from '../teams/team-options';
import { useTeams } from '../teams/use-teams';
import { useInviteUser } from './use-users';

interface Sent {
  email: string;
  /** The invitation link when the e-mail is held for lack of SMTP: the admin passes it on by hand. */
  heldLink: string | null;
}

export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [sent, setSent] = useState<Sent | null>(null);
  const close = () => {
    onClose();
    setSent(null);
  };
  return (
    <Modal opened={opened} onClose={close} title={t('users.invite.title')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {sent ? <InviteSent sent={sent} onDone={close} onAnother={() => setSent(null)} /> : <InviteForm onCancel={close} onSent={setSent} />}
    </Modal>
  );
}

function InviteForm({ onCancel, onSent }: { onCancel: () => void; onSent: (sent: Sent) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const roles = useRoles(can('role', 'read'));
  const teams = useTeams(can('team', 'read'));
  const invite = useInviteUser();
  const validate = useValidate();
  const form = useForm({ email: '', name: '', roleId: '', teamId: '', locale: currentLanguage() as Language });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { email: { required: true, email: true }, roleId: { required: true } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    const email = form.values.email.trim();
    invite.mutate(
      { email, name: form.values.name.trim() || undefined, roleId: form.values.roleId, teamId: form.values.teamId || null, locale: form.values.locale },
      {
        onError: (error) => form.fail(error),
        onSuccess: async () => {
          let heldLink: string | null = null;
          if (can('settings', 'read')) {
            try {
              const mail = await queryClient.fetchQuery({
                queryKey: [...MAIL_KEY, 'latest'],
                queryFn: () => api<PageOf<MailMessage>>('GET', '/mail-outbox', { query: { limit: 10 } }),
                staleTime: 0,
              });
              const message = mail.items.find((item) => item.to === email.toLowerCase());
              if (message?.status === 'held') heldLink = linksIn(message.text)[0] ?? null;
            } catch {
              // the invitation exists either way; the outbox page shows the message
            }
          }
          onSent({ email, heldLink });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}
        <TextInput
          label={t('users.fields.email')}
          type="email"
          required
          data-autofocus
          value={form.values.email}
          onChange={(event) => form.set('email', event.currentTarget.value)}
          error={form.errors.email}
        />
        <TextInput
          label={t('users.fields.name')}
          description={t('users.invite.nameHint')}
          value={form.values.name}
          onChange={(event) => form.set('name', event.currentTarget.value)}
          error={form.errors.name}
        />
        <NativeSelect
          label={t('users.fields.role')}
          required
          value={form.values.roleId}
          onChange={(event) => form.set('roleId', event.currentTarget.value)}
          error={form.errors.roleId}
          data={[{ value: '', label: t('users.invite.chooseRole'), disabled: true }, ...(roles.data ?? []).map((role) => ({ value: role.id, label: role.name }))]}
        />
        <NativeSelect
          label={t('users.fields.team')}
          value={form.values.teamId}
          onChange={(event) => form.set('teamId', event.currentTarget.value)}
          error={form.errors.teamId}
          data={[{ value: '', label: t('users.noTeam') }, ...teamOptions(teams.data ?? [])]}
        />
        <LanguageSelect value={form.values.locale} onChange={(language) => form.set('locale', language)} description={t('users.invite.languageHint')} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={invite.isPending}>
            {t('users.invite.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function InviteSent({ sent, onDone, onAnother }: { sent: Sent; onDone: () => void; onAnother: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="green" role="status" title={t('users.invite.sentTitle')}>
        {sent.heldLink ? t('users.invite.held', { email: sent.email }) : t('users.invite.sent', { email: sent.email })}
      </Alert>
      {sent.heldLink ? (
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            {t('users.invite.link')}
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {sent.heldLink}
          </Code>
          <Group gap="xs">
            <CopyButton value={sent.heldLink}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" color={copied ? 'teal' : 'indigo'} onClick={copy}>
                  {copied ? t('common.copied') : t('users.invite.copyLink')}
                </Button>
              )}
            </CopyButton>
            <Button size="xs" variant="subtle" component={Link} to="/settings/mail-outbox" onClick={onDone}>
              {t('users.invite.openOutbox')}
            </Button>
          </Group>
        </Stack>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onAnother}>
          {t('users.invite.another')}
        </Button>
        <Button onClick={onDone}>{t('common.done')}</Button>
      </Group>
    </Stack>
  );
}
