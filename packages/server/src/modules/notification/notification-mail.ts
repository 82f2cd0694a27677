import type { EmailNotificationKind, Locale } from '@rapport/shared';

/**
 * The e-mail twin of an in-app notification, per kind and language. `{name}` placeholders come from the notification's
 * params; `{link}` is the absolute address of the record it is about.
 */
const TEMPLATES: Record<EmailNotificationKind, Record<Locale, { subject: string; text: string }>> = {
  task_assigned: {
    en: { subject: 'New task: {title}', text: '{by} gave you a task: {title}\n\nOpen it: {link}' },
    ru: { subject: 'Новая задача: {title}', text: '{by} поручил(а) вам задачу: {title}\n\nОткрыть: {link}' },
  },
  task_co_executor: {
    en: { subject: 'Co-executor: {title}', text: '{by} made you a co-executor of a task: {title}\n\nOpen it: {link}' },
    ru: { subject: 'Соисполнитель: {title}', text: '{by} добавил(а) вас соисполнителем задачи: {title}\n\nОткрыть: {link}' },
  },
  task_watcher: {
    en: { subject: 'Watching: {title}', text: '{by} added you as a watcher of a task: {title}\n\nOpen it: {link}' },
    ru: { subject: 'Наблюдатель: {title}', text: '{by} добавил(а) вас наблюдателем задачи: {title}\n\nОткрыть: {link}' },
  },
  task_reminder: {
    en: { subject: 'Reminder: {title}', text: 'A reminder about your task: {title}\n\nOpen it: {link}' },
    ru: { subject: 'Напоминание: {title}', text: 'Напоминание о задаче: {title}\n\nОткрыть: {link}' },
  },
  activity_reminder: {
    en: { subject: 'Coming up: {title}', text: '{title} is coming up (reminder set {minutes} min before its start).\n\nOpen it: {link}' },
    ru: { subject: 'Скоро: {title}', text: '{title} скоро начнётся (напоминание за {minutes} мин до начала).\n\nОткрыть: {link}' },
  },
  task_overdue: {
    en: { subject: 'Overdue: {title}', text: 'Your task is past its due time: {title}\n\nOpen it: {link}' },
    ru: { subject: 'Просрочено: {title}', text: 'Срок задачи истёк: {title}\n\nОткрыть: {link}' },
  },
  task_escalated: {
    en: { subject: 'Overdue in your team: {title}', text: "{assignee}'s task has been overdue for {hours} h: {title}\n\nOpen it: {link}" },
    ru: { subject: 'Просрочка в команде: {title}', text: 'Задача сотрудника {assignee} просрочена более чем на {hours} ч: {title}\n\nОткрыть: {link}' },
  },
  task_comment: {
    en: { subject: 'New comment: {title}', text: '{by} commented on {title}:\n\n{comment}\n\nOpen it: {link}' },
    ru: { subject: 'Новый комментарий: {title}', text: '{by} прокомментировал(а) {title}:\n\n{comment}\n\nОткрыть: {link}' },
  },
  export_unusual: {
    en: {
      subject: 'Unusual export by {by}',
      text: '{by} exported {rows} rows of the {list} list ({format}); it was their export number {count} in the last hour.\n\nSee the audit log: {link}',
    },
    ru: {
      subject: 'Необычная выгрузка: {by}',
      text: '{by} выгрузил(а) {rows} строк из списка {list} ({format}); это выгрузка номер {count} за последний час.\n\nЖурнал аудита: {link}',
    },
  },
};

export function isEmailKind(kind: string): kind is EmailNotificationKind {
  return Object.hasOwn(TEMPLATES, kind);
}

export function renderNotificationMail(kind: EmailNotificationKind, locale: Locale, params: Record<string, unknown>, link: string): { subject: string; text: string } {
  const values: Record<string, string> = { ...Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])), link };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  const template = TEMPLATES[kind][locale];
  return { subject: fill(template.subject).replace(/[\r\n]+/g, ' '), text: fill(template.text) };
}
