import type { PermissionMatrix, Role } from '@rapport/shared';
import { Alert, Anchor, Badge, Button, Card, NativeSelect, NumberInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/api-client';
import { useCan } from '../../app/session';
import { ConfirmModal } from '../../components/confirm-modal';
import { useErrorText } from '../../components/error-text';
import { PageHeader } from '../../components/page-header';
import { QueryStatus } from '../../components/query-status';
import { useToast } from '../../components/toast-center';
import { useForm, useValidate } from '../../components/use-form';
import { FieldRulesEditor, rowsToRules, rulesToRows, type FieldRuleRow } from './field-rules-editor';
import { PermissionMatrixEditor } from './permission-matrix';
import { useCreateRole, useDeleteRole, useRole, useRoles, useUpdateRole } from './use-roles';

/** `/settings/roles/new` and `/settings/roles/:roleId`. */
export function RoleEditorPage() {
  const { roleId } = useParams();
  const role = useRole(roleId);
  if (!roleId) return <RoleForm role={null} onReload={() => undefined} />;
  return (
    <QueryStatus isPending={role.isPending} error={role.error} onRetry={() => void role.refetch()}>
      {role.data ? <RoleForm key={`${role.data.id}:${role.data.version}`} role={role.data} onReload={() => void role.refetch()} /> : null}
    </QueryStatus>
  );
}

interface RoleValues {
  name: string;
  description: string;
  permissions: PermissionMatrix;
  rules: FieldRuleRow[];
  /** Empty: no limit. */
  exportRowLimit: number | '';
}

function RoleForm({ role, onReload }: { role: Role | null; onReload: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const validate = useValidate();
  const roles = useRoles();
  const create = useCreateRole();
  const update = useUpdateRole();
  const remove = useDeleteRole();
  const [conflict, setConflict] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const form = useForm<RoleValues>({
    name: role?.name ?? '',
    description: role?.description ?? '',
    permissions: role?.permissions ?? {},
    rules: rulesToRows(role?.fieldRules ?? {}),
    exportRowLimit: role?.exportRowLimit ?? '',
  });

  const readOnly = role ? role.isSystem || !can('role', 'update') : !can('role', 'create');
  const saving = create.isPending || update.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(form.values, { name: { required: true } });
    if (Object.keys(errors).length > 0) return form.setErrors(errors);
    const body = { name: form.values.name.trim(), description: form.values.description.trim(), permissions: form.values.permissions, fieldRules: rowsToRules(form.values.rules), exportRowLimit: form.values.exportRowLimit === '' ? null : form.values.exportRowLimit };
    const onError = (error: unknown) => {
      if (isApiError(error) && error.code === 'version_conflict') setConflict(true);
      else form.fail(error);
    };
    if (role) {
      // Not mutate's callbacks: the saved version remounts this form (its key) before they would run, dropping them.
      update.mutateAsync({ id: role.id, body: { ...body, version: role.version } }).then((saved) => toast({ color: 'green', message: t('roles.saved', { name: saved.name }) }), onError);
    } else {
      create.mutate(body, {
        onSuccess: (saved) => {
          toast({ color: 'green', message: t('roles.saved', { name: saved.name }) });
          void navigate(`/settings/roles/${saved.id}`, { replace: true });
        },
        onError,
      });
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Anchor component={Link} to="/settings/roles" size="sm">
        ← {t('roles.back')}
      </Anchor>
      <PageHeader
        title={role ? role.name : t('roles.newTitle')}
        description={role?.isSystem ? undefined : t('roles.editorHint')}
        actions={
          <>
            {role && !role.isSystem && can('role', 'delete') ? (
              <Button variant="subtle" color="red" onClick={() => setConfirmDelete(true)}>
                {t('common.delete')}
              </Button>
            ) : null}
            {readOnly ? null : (
              <Button type="submit" loading={saving} disabled={conflict}>
                {role ? t('common.save') : t('common.create')}
              </Button>
            )}
          </>
        }
      />
      <Stack gap="lg">
        {role?.isSystem ? (
          <Alert color="gray" title={t('roles.systemTitle')}>
            {t('roles.systemText')}
          </Alert>
        ) : null}
        {conflict ? (
          <Alert color="orange" role="alert" title={t('errors.version_conflict')}>
            <Text size="sm" mb="xs">
              {t('roles.conflict')}
            </Text>
            <Button size="xs" variant="light" color="orange" onClick={onReload}>
              {t('common.reload')}
            </Button>
          </Alert>
        ) : null}
        {form.formError ? (
          <Alert color="red" role="alert">
            {form.formError}
          </Alert>
        ) : null}

        <Card withBorder radius="md" padding="lg">
          <Stack>
            {role?.isSystem ? <Badge variant="light" color="gray">{t('roles.system')}</Badge> : null}
            <TextInput label={t('roles.fields.name')} required readOnly={readOnly} value={form.values.name} onChange={(event) => form.set('name', event.currentTarget.value)} error={form.errors.name} maw={480} />
            <Textarea
              label={t('roles.fields.description')}
              readOnly={readOnly}
              autosize
              minRows={2}
              value={form.values.description}
              onChange={(event) => form.set('description', event.currentTarget.value)}
              error={form.errors.description}
              maw={640}
            />
            {!role && roles.data ? (
              <NativeSelect
                label={t('roles.copyFrom')}
                maw={480}
                value=""
                onChange={(event) => {
                  const source = roles.data.find((item) => item.id === event.currentTarget.value);
                  if (source) {
                    form.set('permissions', source.permissions);
                    form.set('rules', rulesToRows(source.fieldRules));
                  }
                }}
                data={[{ value: '', label: t('roles.copyFromNone') }, ...roles.data.map((item) => ({ value: item.id, label: item.name }))]}
              />
            ) : null}
          </Stack>
        </Card>

        <section aria-labelledby="permissions-heading">
          <Title order={2} size="h4" id="permissions-heading" mb={4}>
            {t('roles.matrix.title')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('roles.matrix.hint')}
          </Text>
          <PermissionMatrixEditor value={form.values.permissions} readOnly={readOnly} onChange={(matrix) => form.set('permissions', matrix)} />
          {form.errors.permissions ? (
            <Text c="red" size="sm" mt="xs">
              {form.errors.permissions}
            </Text>
          ) : null}
        </section>

        <section aria-labelledby="field-rules-heading">
          <Title order={2} size="h4" id="field-rules-heading" mb={4}>
            {t('roles.fieldRules.title')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('roles.fieldRules.hint')}
          </Text>
          <FieldRulesEditor rows={form.values.rules} readOnly={readOnly} onChange={(rows) => form.set('rules', rows)} />
        </section>

        <section aria-labelledby="export-limit-heading">
          <Title order={2} size="h4" id="export-limit-heading" mb={4}>
            {t('roles.exportLimit.label')}
          </Title>
          <NumberInput
            aria-labelledby="export-limit-heading"
            description={t('roles.exportLimit.hint')}
            placeholder={t('roles.exportLimit.none')}
            readOnly={readOnly}
            min={1}
            max={100_000_000}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=" "
            value={form.values.exportRowLimit}
            onChange={(value) => form.set('exportRowLimit', typeof value === 'number' ? value : value === '' ? '' : Number(value))}
            error={form.errors.exportRowLimit}
            maw={320}
          />
        </section>
      </Stack>

      {role ? (
        <ConfirmModal
          opened={confirmDelete}
          title={t('roles.deleteTitle')}
          message={t('roles.deleteText', { name: role.name })}
          confirmLabel={t('common.delete')}
          loading={remove.isPending}
          onClose={() => setConfirmDelete(false)}
          onConfirm={() =>
            remove.mutate(role.id, {
              onSuccess: () => {
                toast({ color: 'green', message: t('roles.deleted', { name: role.name }) });
                void navigate('/settings/roles', { replace: true });
              },
              onError: (error) => {
                setConfirmDelete(false);
                toast({ color: 'red', message: isApiError(error) && error.code === 'conflict' ? t('roles.deleteConflict') : errorText(error) });
              },
            })
          }
        />
      ) : null}
    </form>
  );
}
