import type { TaskPriority, TaskStatus } from '@rapport/shared';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const STATUS_COLORS: Record<TaskStatus, string> = { open: 'blue', in_progress: 'indigo', done: 'green', cancelled: 'gray' };
const PRIORITY_COLORS: Record<TaskPriority, string> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };

export function StatusBadge({ status }: { status: TaskStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" style={{ minWidth: 'max-content' }}>
      {t(`tasks.status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLORS[priority]} variant="outline" style={{ minWidth: 'max-content' }}>
      {t(`tasks.priority.${priority}`)}
    </Badge>
  );
}
