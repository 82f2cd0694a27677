import { describe, expect, it } from 'vitest';
import { formatPhone, normalizeEmail, toE164 } from './phone.js';

describe('toE164', () => {
  it('reads every common spelling of one Russian mobile number as the same E.164', () => {
    for (const raw of ['8 (916) 123-45-67', '+7 916 1234567', '9161234567', '+7(916)123-45-67']) {
      expect(toE164(raw, 'RU')).toBe('+79161234567');
    }
  });

  it('uses the workspace country for local numbers and keeps international ones', () => {
    expect(toE164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(toE164('+44 20 7946 0958', 'RU')).toBe('+442079460958');
  });

  it('refuses what is not a phone number', () => {
    expect(toE164('call me', 'RU')).toBeNull();
    expect(toE164('123', 'RU')).toBeNull();
  });
});

describe('formatPhone / normalizeEmail', () => {
  it('formats stored numbers and falls back to the raw input', () => {
    expect(formatPhone('+79161234567', '89161234567')).toBe('+7 916 123 45 67');
    expect(formatPhone(null, 'ext. 12')).toBe('ext. 12');
  });

  it('lower-cases e-mails and refuses malformed ones', () => {
    expect(normalizeEmail('  Anna.Petrova@Example.COM ')).toBe('anna.petrova@example.com');
    expect(normalizeEmail('anna@')).toBeNull();
  });
});
