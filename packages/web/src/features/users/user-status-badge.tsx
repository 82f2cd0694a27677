import type { User } from '@rapport/shared';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<User['status'], string> = { active: 'teal', invited: 'blue', disabled: 'gray' };

export function UserStatusBadge({ status }: { status: User['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light">
      {t(`users.status.${status}`)}
    </Badge>
  );
}
