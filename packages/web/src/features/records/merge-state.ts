import { isEmptyValue, rawValue, sameValue } from './field-values';
import type { ClientRecord } from './objects';

/** The fields whose values differ between the records, and for each the record whose value is kept by default. */
export function mergeChoices(records: ClientRecord[], keys: string[], survivorId: string): { key: string; defaultId: string }[] {
  const survivor = records.find((record) => record.id === survivorId) ?? records[0];
  if (!survivor) return [];
  return keys
    .filter((key) => records.some((record) => !sameValue(rawValue(record, key), rawValue(survivor, key))))
    .map((key) => {
      const own = rawValue(survivor, key);
      const filled = isEmptyValue(own) ? records.find((record) => !isEmptyValue(rawValue(record, key))) : survivor;
      return { key, defaultId: (filled ?? survivor).id };
    });
}
