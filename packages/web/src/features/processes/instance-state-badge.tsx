import type { ProcessInstanceState } from '@rapport/shared';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const STATE_COLORS: Record<ProcessInstanceState, string> = { running: 'blue', suspended: 'yellow', completed: 'green', cancelled: 'gray', failed: 'red' };

/** An instance's state as a coloured badge (lists, the process card, a record's card). */
export function InstanceStateBadge({ state }: { state: ProcessInstanceState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATE_COLORS[state]} data-testid="instance-state">
      {t(`processes.states.${state}`)}
    </Badge>
  );
}
