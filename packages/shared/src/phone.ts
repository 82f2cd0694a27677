import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone in E.164, or null when the input is not a possible number. Local formats are read with the workspace's
 * country: in Russia "8 (916) 123-45-67", "+7 916 1234567" and "9161234567" are the same number.
 */
export function toE164(raw: string, defaultCountry: string): string | null {
  const trimmed = raw.trim();
  if (!/\d/.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: defaultCountry as CountryCode, extract: false });
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** For display: the international format of a stored number, or the raw input when it could not be read. */
export function formatPhone(e164: string | null, raw: string): string {
  if (!e164) return raw;
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? raw;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E-mails are compared trimmed and lower-cased. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return EMAIL_RE.test(email) && email.length <= 254 ? email : null;
}
