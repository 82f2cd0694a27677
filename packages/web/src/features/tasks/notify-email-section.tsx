import { EMAIL_NOTIFICATION_KINDS, type EmailNotificationKind, type Me, type User } from '@rapport/shared';
import { Card, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api-client';
import { ME_KEY, useMe } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { useToast } from '../../components/toast-center';

/** The profile's choice, per kind of notification, of also getting it by e-mail (saved at once). */
export function NotifyEmailSection() {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (choice: Partial<Record<EmailNotificationKind, boolean>>) => api<User>('PATCH', '/auth/me', { body: { notifyEmail: choice } }),
    onMutate: (choice) => queryClient.setQueryData<Me | null>(ME_KEY, (current) => (current ? { ...current, user: { ...current.user, notifyEmail: { ...current.user.notifyEmail, ...choice } } } : current)),
    onSuccess: () => toast({ color: 'green', message: t('tasks.notifyEmail.saved') }),
    onError: (error) => {
      toast({ color: 'red', message: errorText(error) });
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={2} size="h4" mb={4}>
        {t('tasks.notifyEmail.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('tasks.notifyEmail.hint', { email: me.user.email })}
      </Text>
      <Stack gap="xs">
        {EMAIL_NOTIFICATION_KINDS.map((kind) => (
          <Switch key={kind} label={t(`tasks.notifyEmail.kinds.${kind}`)} checked={me.user.notifyEmail[kind] ?? false} onChange={(event) => save.mutate({ [kind]: event.currentTarget.checked })} />
        ))}
      </Stack>
    </Card>
  );
}
