import { describe, expect, it } from 'vitest';
import { renderMail } from './mail-templates.js';

describe('renderMail', () => {
  it('fills every placeholder in the reader language', () => {
    const mail = renderMail('invite', 'ru', { workspace: 'Ромашка', inviter: 'Анна', link: 'http://x/accept?token=t' });
    expect(mail.subject).toBe('Приглашение в Ромашка в Rapport');
    expect(mail.text).toContain('Анна приглашает вас');
    expect(mail.text).toContain('http://x/accept?token=t');
    expect(mail.text).not.toMatch(/\{\w+\}/);
  });
});
