import type { Task } from '@rapport/shared';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format';

/** A task's due time as lists show it: a date and "all day" for an all-day task, else date and time; `none` without one. */
export function useDueText(): (task: Pick<Task, 'dueAt' | 'allDay'>, none: string) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return (task, none) => (!task.dueAt ? none : task.allDay ? t('tasks.dueAllDay', { date: format.date(task.dueAt) }) : format.dateTime(task.dueAt));
}
