import { PERMISSION_ACTIONS, PERMISSION_OBJECTS, scopeOf, type PermissionMatrix } from '@rapport/shared';
import { Alert, Button, Code, CopyButton, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/session';
import { useForm, useValidate } from '../../components/use-form';
import { PermissionMatrixEditor } from '../roles/permission-matrix';
import { useCreateApiKey } from './use-api-keys';

type Preset = 'same' | 'read' | 'custom';

/** The user's own read rights only: a safe default for reporting integrations. */
function readOnlyOf(matrix: PermissionMatrix): PermissionMatrix {
  const result: PermissionMatrix = {};
  for (const object of PERMISSION_OBJECTS) {
    result[object] = Object.fromEntries(PERMISSION_ACTIONS.map((action) => [action, action === 'read' ? scopeOf(matrix, object, 'read') : 'none']));
  }
  return result;
}

export function CreateApiKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [secret, setSecret] = useState<string | null>(null);
  const close = () => {
    setSecret(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={secret ? t('apiKeys.createdTitle') : t('apiKeys.newTitle')} size={secret ? 'lg' : 'xl'} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {secret ? <SecretOnce secret={secret} onDone={close} /> : opened ? <CreateForm onCancel={close} onCreated={setSecret} /> : null}
    </Modal>
  );
}

function CreateForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const create = useCreateApiKey();
  const validate = useValidate();
  const form = useForm({ name: '', expires: '', preset: 'read' as Preset, custom: readOnlyOf(me.permissions) });

  const permissions = form.values.preset === 'same' ? me.permissions : form.values.preset === 'read' ? readOnlyOf(me.permissions) : form.values.custom;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { name: { required: true } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    // The key stops working at the end of the chosen day, in the user's time zone.
    const expiresAt = form.values.expires ? new Date(`${form.values.expires}T23:59:59`).toISOString() : null;
    create.mutate({ name: form.values.name.trim(), permissions, expiresAt }, { onSuccess: (answer) => onCreated(answer.secret), onError: (error) => form.fail(error) });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}
        <TextInput label={t('apiKeys.fields.name')} description={t('apiKeys.nameHint')} required data-autofocus value={form.values.name} onChange={(event) => form.set('name', event.currentTarget.value)} error={form.errors.name} />
        <TextInput
          label={t('apiKeys.fields.expires')}
          description={t('apiKeys.expiresHint')}
          type="date"
          maw={240}
          value={form.values.expires}
          onChange={(event) => form.set('expires', event.currentTarget.value)}
          error={form.errors.expiresAt}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="api-key-rights">
            {t('apiKeys.fields.permissions')}
          </Text>
          <SegmentedControl
            aria-labelledby="api-key-rights"
            value={form.values.preset}
            onChange={(value) => form.set('preset', value as Preset)}
            data={[
              { value: 'read', label: t('apiKeys.preset.read') },
              { value: 'same', label: t('apiKeys.preset.same') },
              { value: 'custom', label: t('apiKeys.preset.custom') },
            ]}
          />
          <Text size="xs" c="dimmed">
            {t('apiKeys.permissionsHint')}
          </Text>
        </Stack>
        {form.values.preset === 'custom' ? <PermissionMatrixEditor value={form.values.custom} allowed={me.permissions} onChange={(matrix) => form.set('custom', matrix)} /> : null}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('apiKeys.createButton')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="yellow" role="alert" title={t('apiKeys.secretWarningTitle')}>
        {t('apiKeys.secretWarning')}
      </Alert>
      <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 14 }} aria-label={t('apiKeys.secret')}>
        {secret}
      </Code>
      <Group justify="space-between">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'teal' : 'indigo'} onClick={copy}>
              {copied ? t('common.copied') : t('apiKeys.copySecret')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>{t('apiKeys.secretSaved')}</Button>
      </Group>
    </Stack>
  );
}
