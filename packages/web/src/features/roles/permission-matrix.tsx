import { PERMISSION_ACTIONS, PERMISSION_OBJECTS, SCOPES, scopeOf, type PermissionMatrix, type Scope } from '@rapport/shared';
import { NativeSelect, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// Cell colours make a 14 × 7 grid scannable: grey for no right, stronger for wider scopes.
const SCOPE_COLOR: Record<Scope, string> = {
  none: 'var(--mantine-color-gray-0)',
  own: 'var(--mantine-color-blue-0)',
  team: 'var(--mantine-color-indigo-0)',
  team_sub: 'var(--mantine-color-violet-0)',
  all: 'var(--mantine-color-teal-0)',
};

export function withScope(matrix: PermissionMatrix, object: (typeof PERMISSION_OBJECTS)[number], action: (typeof PERMISSION_ACTIONS)[number], scope: Scope): PermissionMatrix {
  return { ...matrix, [object]: { ...matrix[object], [action]: scope } };
}

/** Rows are objects, columns actions, each cell a scope; read-only for the system role or without role.update. */
export function PermissionMatrixEditor({
  value,
  onChange,
  readOnly,
  allowed,
}: {
  value: PermissionMatrix;
  onChange?: (matrix: PermissionMatrix) => void;
  readOnly?: boolean;
  /** The widest scope each cell may take (an API key never exceeds its user). */
  allowed?: PermissionMatrix;
}) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table withTableBorder withColumnBorders verticalSpacing={6} horizontalSpacing={6} stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('roles.matrix.object')}</Table.Th>
            {PERMISSION_ACTIONS.map((action) => (
              <Table.Th key={action} scope="col">
                {t(`permissions.actions.${action}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {PERMISSION_OBJECTS.map((object) => (
            <Table.Tr key={object}>
              <Table.Th scope="row">
                <Text size="sm" fw={600}>
                  {t(`permissions.objects.${object}`)}
                </Text>
              </Table.Th>
              {PERMISSION_ACTIONS.map((action) => {
                const scope = scopeOf(value, object, action);
                const limit = allowed ? SCOPES.indexOf(scopeOf(allowed, object, action)) : SCOPES.length - 1;
                const label = t('roles.matrix.cell', { object: t(`permissions.objects.${object}`), action: t(`permissions.actions.${action}`) });
                return (
                  <Table.Td key={action} style={{ background: SCOPE_COLOR[scope] }}>
                    {readOnly ? (
                      <Text size="sm" c={scope === 'none' ? 'dimmed' : undefined} aria-label={label}>
                        {t(`permissions.scopes.${scope}`)}
                      </Text>
                    ) : (
                      <NativeSelect
                        size="xs"
                        aria-label={label}
                        value={scope}
                        onChange={(event) => onChange?.(withScope(value, object, action, event.currentTarget.value as Scope))}
                        data={SCOPES.map((option, index) => ({ value: option, label: t(`permissions.scopes.${option}`), disabled: index > limit }))}
                      />
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
