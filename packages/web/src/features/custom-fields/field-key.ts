const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/** The pattern the API requires of custom field keys and option values used as keys. */
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** A key for a label: "Loyalty level" → `loyalty_level`, «Уровень лояльности» → `uroven_loialnosti`. */
export function keyFromLabel(label: string): string {
  const latin = [...label.trim().toLowerCase()].map((char) => CYRILLIC[char] ?? char).join('');
  const key = latin
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'f_$1')
    .slice(0, 63)
    .replace(/_+$/, '');
  return key;
}
