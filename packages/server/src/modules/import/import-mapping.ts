import { IMPORT_FIELDS, type CustomField, type ImportObject } from '@rapport/shared';

/** Header words (Russian and English, as accounting systems and spreadsheets write them) for each field. */
const SYNONYMS: Record<string, string[]> = {
  fullName: ['фио', 'ф и о', 'контакт', 'контактное лицо', 'full name', 'name', 'contact', 'contact name', 'person'],
  lastName: ['фамилия', 'last name', 'lastname', 'surname', 'family name'],
  firstName: ['имя', 'first name', 'firstname', 'given name'],
  middleName: ['отчество', 'middle name', 'middlename', 'patronymic'],
  position: ['должность', 'позиция', 'position', 'title', 'job title'],
  phone: ['телефон', 'тел', 'моб телефон', 'мобильный', 'мобильный телефон', 'рабочий телефон', 'сотовый', 'phone', 'mobile', 'tel', 'telephone', 'phone number', 'cell'],
  email: ['e mail', 'email', 'эл почта', 'электронная почта', 'почта', 'емейл', 'mail', 'e mail address', 'email address'],
  birthday: ['дата рождения', 'день рождения', 'birthday', 'birth date', 'date of birth', 'dob'],
  address: ['адрес', 'address'],
  companyName: ['компания', 'организация', 'контрагент', 'company', 'organization', 'organisation', 'account', 'company name'],
  companyInn: ['инн компании', 'инн организации', 'инн контрагента', 'инн', 'company inn', 'inn'],
  tags: ['теги', 'метки', 'tags', 'labels'],
  name: ['название', 'наименование', 'компания', 'организация', 'контрагент', 'name', 'company', 'company name', 'organization'],
  legalName: ['полное наименование', 'юридическое наименование', 'юр название', 'legal name'],
  inn: ['инн', 'inn', 'tax id', 'taxpayer id'],
  kpp: ['кпп', 'kpp'],
  ogrn: ['огрн', 'ogrn'],
  industry: ['отрасль', 'сфера', 'industry'],
  website: ['сайт', 'веб сайт', 'website', 'web site', 'site', 'url'],
  legalAddress: ['юридический адрес', 'юр адрес', 'legal address', 'registered address'],
  actualAddress: ['фактический адрес', 'адрес', 'почтовый адрес', 'address', 'actual address', 'office address'],
  source: ['источник', 'источник лида', 'канал', 'source', 'lead source', 'channel'],
  status: ['статус', 'статус лида', 'status', 'lead status'],
  disqualifyReason: ['причина отказа', 'причина дисквалификации', 'disqualify reason', 'disqualification reason', 'reason'],
  description: ['описание', 'комментарий', 'примечание', 'заметка', 'description', 'comment', 'notes', 'note'],
  sku: ['артикул', 'код', 'код товара', 'sku', 'article', 'code', 'item code', 'product code', 'part number'],
  unit: ['единица', 'ед', 'ед изм', 'единица измерения', 'unit', 'uom', 'unit of measure'],
  price: ['цена', 'стоимость', 'цена за единицу', 'price', 'unit price', 'list price'],
  currency: ['валюта', 'currency'],
  taxRate: ['ндс', 'ставка ндс', 'ндс %', 'налог', 'vat', 'vat rate', 'tax', 'tax rate'],
  title: ['название сделки', 'сделка', 'название', 'тема', 'deal', 'deal name', 'deal title', 'title', 'name', 'subject'],
  amount: ['сумма', 'сумма сделки', 'бюджет', 'amount', 'value', 'deal value', 'sum'],
  pipeline: ['воронка', 'направление', 'pipeline'],
  stage: ['этап', 'стадия', 'этап сделки', 'stage', 'deal stage'],
  lostReason: ['причина проигрыша', 'причина отказа', 'lost reason', 'reason lost'],
  contactEmail: ['e mail контакта', 'email контакта', 'почта контакта', 'contact email', 'contact e mail'],
  contactPhone: ['телефон контакта', 'contact phone'],
  ownerEmail: ['ответственный', 'email ответственного', 'менеджер', 'owner', 'owner email', 'responsible', 'manager'],
  expectedCloseDate: ['дата закрытия', 'ожидаемая дата закрытия', 'плановая дата', 'close date', 'expected close date', 'expected close'],
};
/** Where an object reads a header otherwise: a lead's name is a person's and its company a name kept as text; a product's name is the item's. */
const OBJECT_SYNONYMS: Partial<Record<ImportObject, Record<string, string[]>>> = {
  lead: {
    name: ['фио', 'ф и о', 'имя', 'контакт', 'контактное лицо', 'лид', 'name', 'full name', 'contact', 'contact name', 'lead', 'lead name'],
    companyName: ['компания', 'организация', 'контрагент', 'название компании', 'company', 'company name', 'organization', 'organisation', 'account'],
  },
  product: { name: ['наименование', 'название', 'товар', 'номенклатура', 'услуга', 'name', 'product', 'product name', 'item', 'title'] },
  // A deal's phone and e-mail are its contact's: they find the person the deal is linked to.
  deal: {
    contactEmail: ['e mail', 'email', 'эл почта', 'почта', 'e mail контакта', 'email контакта', 'почта контакта', 'contact email', 'contact e mail'],
    contactPhone: ['телефон', 'тел', 'мобильный', 'phone', 'mobile', 'телефон контакта', 'contact phone'],
  },
};

/** Lower case, "ё" as "е", punctuation as spaces: "E-mail:" and "e mail" compare equal. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * A field for each column where the header says which: a custom field by its label, a system field by its Russian or
 * English name. Phones and e-mails may fill several columns; any other field is given to its first column only.
 */
export function suggestMapping(object: ImportObject, headers: string[], customFields: CustomField[]): (string | null)[] {
  const fields: readonly string[] = IMPORT_FIELDS[object];
  const byHeader = new Map<string, string>();
  for (const field of [...fields].reverse()) for (const word of OBJECT_SYNONYMS[object]?.[field] ?? SYNONYMS[field] ?? []) byHeader.set(headerKey(word), field);
  for (const field of customFields) byHeader.set(headerKey(field.label), `custom.${field.key}`);
  const used = new Set<string>();
  return headers.map((header) => {
    const key = headerKey(header);
    const guess = /(телефон|phone|mobile)/.test(key) ? 'phone' : /(e ?mail|почта)/.test(key) ? 'email' : undefined;
    const field = byHeader.get(key) ?? (guess && fields.includes(guess) ? guess : undefined);
    if (!field || (used.has(field) && field !== 'phone' && field !== 'email')) return null;
    used.add(field);
    return field;
  });
}

/** The saved mapping's fields applied to this file's headers (by header text); columns it does not name stay as suggested. */
export function applySavedMapping(headers: string[], suggested: (string | null)[], saved: Record<string, string>): (string | null)[] {
  const byKey = new Map(Object.entries(saved).map(([header, field]) => [headerKey(header), field]));
  return headers.map((header, i) => byKey.get(headerKey(header)) ?? suggested[i] ?? null);
}
