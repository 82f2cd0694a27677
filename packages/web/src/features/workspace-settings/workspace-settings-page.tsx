import { PAYMENT_DETAIL_FIELDS, type PaymentDetailField, type PaymentDetails, type WorkspaceSettings } from '@rapport/shared';
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/api-client';
import { useErrorText } from '../../components/error-text';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';

const KEY = ['workspace-settings'] as const;
/** How long each detail may be (the server's limits). */
const MAX: Record<PaymentDetailField, number> = { legalName: 300, address: 500, taxId: 40, kpp: 40, bankName: 300, account: 64, bic: 40, correspondentAccount: 64 };

/** Settings › Workspace: the organisation's requisites that documents print (invoices, contracts). */
export function WorkspaceSettingsPage() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: KEY, queryFn: () => api<WorkspaceSettings>('GET', '/workspace') });
  return (
    <>
      <PageHeader title={t('workspaceSettings.title')} description={t('workspaceSettings.description')} />
      <QueryStatus isPending={settings.isPending} error={settings.error} onRetry={() => void settings.refetch()}>
        {settings.data ? <PaymentDetailsForm key={settings.data.version} settings={settings.data} /> : null}
      </QueryStatus>
    </>
  );
}

function PaymentDetailsForm({ settings }: { settings: WorkspaceSettings }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [details, setDetails] = useState<PaymentDetails>(settings.paymentDetails);
  const [formError, setFormError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: { paymentDetails: PaymentDetails; version: number }) => api<WorkspaceSettings>('PUT', '/workspace/payment-details', { body }),
    onSuccess: (saved) => queryClient.setQueryData(KEY, saved),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    save.mutate(
      { paymentDetails: details, version: settings.version },
      {
        onSuccess: () => toast({ color: 'green', message: t('workspaceSettings.saved') }),
        onError: (error) => setFormError(isApiError(error) && error.code === 'version_conflict' ? t('workspaceSettings.conflict') : errorText(error)),
      },
    );
  };
  const input = (field: PaymentDetailField) => {
    const props = { label: t(`workspaceSettings.fields.${field}`), value: details[field], maxLength: MAX[field], onChange: (event: { currentTarget: { value: string } }) => {
        const { value } = event.currentTarget;
        setDetails((current) => ({ ...current, [field]: value }));
      },
    };
    return field === 'address' ? <Textarea key={field} {...props} autosize minRows={2} /> : <TextInput key={field} {...props} />;
  };

  return (
    <Paper withBorder p="lg" radius="md" maw={900}>
      <form onSubmit={submit} noValidate aria-label={t('workspaceSettings.paymentDetails')}>
        <Stack>
          <div>
            <Title order={2} size="h4">
              {t('workspaceSettings.paymentDetails')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('workspaceSettings.paymentHint', { name: settings.name })}
            </Text>
          </div>
          {formError ? (
            <Alert color="red" role="alert">
              {formError}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>{PAYMENT_DETAIL_FIELDS.map(input)}</SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
