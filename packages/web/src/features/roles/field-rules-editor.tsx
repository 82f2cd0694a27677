import { FIELD_ACCESS, PERMISSION_OBJECTS, type FieldAccess, type FieldRules, type PermissionObject } from '@rapport/shared';
import { Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface FieldRuleRow {
  object: PermissionObject;
  field: string;
  access: FieldAccess;
}

export function rulesToRows(rules: FieldRules): FieldRuleRow[] {
  const rows: FieldRuleRow[] = [];
  for (const object of PERMISSION_OBJECTS) {
    for (const [field, access] of Object.entries(rules[object] ?? {})) rows.push({ object, field, access });
  }
  return rows;
}

export function rowsToRules(rows: FieldRuleRow[]): FieldRules {
  const rules: FieldRules = {};
  for (const row of rows) {
    const field = row.field.trim();
    if (!field) continue;
    rules[row.object] = { ...rules[row.object], [field]: row.access };
  }
  return rules;
}

/** Sensitive fields per role: a plain list of object, field name and restriction. */
export function FieldRulesEditor({ rows, onChange, readOnly }: { rows: FieldRuleRow[]; onChange: (rows: FieldRuleRow[]) => void; readOnly: boolean }) {
  const { t } = useTranslation();
  const update = (index: number, patch: Partial<FieldRuleRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  if (readOnly && rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('roles.fieldRules.none')}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('roles.matrix.object')}</Table.Th>
                <Table.Th>{t('roles.fieldRules.field')}</Table.Th>
                <Table.Th>{t('roles.fieldRules.access')}</Table.Th>
                {readOnly ? null : <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, index) =>
                readOnly ? (
                  <Table.Tr key={`${row.object}.${row.field}`}>
                    <Table.Td>{t(`permissions.objects.${row.object}`)}</Table.Td>
                    <Table.Td>
                      <code>{row.field}</code>
                    </Table.Td>
                    <Table.Td>{t(`roles.fieldRules.${row.access}`)}</Table.Td>
                  </Table.Tr>
                ) : (
                  <Table.Tr key={index}>
                    <Table.Td>
                      <NativeSelect
                        size="xs"
                        aria-label={t('roles.matrix.object')}
                        value={row.object}
                        onChange={(event) => update(index, { object: event.currentTarget.value as PermissionObject })}
                        data={PERMISSION_OBJECTS.map((object) => ({ value: object, label: t(`permissions.objects.${object}`) }))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput size="xs" aria-label={t('roles.fieldRules.field')} value={row.field} onChange={(event) => update(index, { field: event.currentTarget.value })} />
                    </Table.Td>
                    <Table.Td>
                      <NativeSelect
                        size="xs"
                        aria-label={t('roles.fieldRules.access')}
                        value={row.access}
                        onChange={(event) => update(index, { access: event.currentTarget.value as FieldAccess })}
                        data={FIELD_ACCESS.map((access) => ({ value: access, label: t(`roles.fieldRules.${access}`) }))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                        {t('common.remove')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ),
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {readOnly ? null : (
        <Group>
          <Button size="xs" variant="light" onClick={() => onChange([...rows, { object: 'contact', field: '', access: 'hidden' }])}>
            {t('roles.fieldRules.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
