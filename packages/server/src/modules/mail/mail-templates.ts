import type { Locale } from '@rapport/shared';

/** E-mails Rapport sends, in each supported language. `{name}` placeholders are filled by renderMail. */
const TEMPLATES = {
  invite: {
    en: {
      subject: 'You are invited to {workspace} on Rapport',
      text: 'Hello,\n\n{inviter} invited you to join {workspace} on Rapport.\nAccept the invitation and choose a password: {link}\n\nThe link works for 7 days.',
    },
    ru: {
      subject: 'Приглашение в {workspace} в Rapport',
      text: 'Здравствуйте!\n\n{inviter} приглашает вас в {workspace} в Rapport.\nПримите приглашение и задайте пароль: {link}\n\nСсылка действует 7 дней.',
    },
  },
  passwordReset: {
    en: {
      subject: 'Reset your Rapport password',
      text: 'Hello {name},\n\nSomeone asked to reset your Rapport password. Choose a new one here: {link}\n\nThe link works for 1 hour. If it was not you, ignore this message: your password stays the same.',
    },
    ru: {
      subject: 'Сброс пароля в Rapport',
      text: 'Здравствуйте, {name}!\n\nЗапрошен сброс пароля в Rapport. Задайте новый пароль по ссылке: {link}\n\nСсылка действует 1 час. Если это были не вы, просто проигнорируйте письмо: пароль не изменится.',
    },
  },
} as const;

export type MailTemplate = keyof typeof TEMPLATES;

export function renderMail(template: MailTemplate, locale: Locale, params: Record<string, string>): { subject: string; text: string } {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole);
  const { subject, text } = TEMPLATES[template][locale];
  return { subject: fill(subject), text: fill(text) };
}
