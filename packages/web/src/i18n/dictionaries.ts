import en from './en.json';
import ru from './ru.json';

export type Tree = { [key: string]: string | Tree };
type Lang = 'en' | 'ru';

// A feature may keep its strings beside its code, in features/<name>/i18n/en.json and ru.json; they join the common
// dictionaries. Features that grow in parallel then never edit the same file.
const FEATURE_FILES = import.meta.glob<Tree>('../features/*/i18n/*.json', { eager: true, import: 'default' });

/** Deep merge that refuses a key defined twice, so one feature cannot silently change another's text. */
export function mergeTrees(target: Tree, source: Tree, where = ''): Tree {
  for (const [key, value] of Object.entries(source)) {
    const path = where ? `${where}.${key}` : key;
    const existing = target[key];
    if (existing === undefined) target[key] = typeof value === 'string' ? value : mergeTrees({}, value, path);
    else if (typeof existing === 'string' || typeof value === 'string') throw new Error(`i18n key ${path} is defined twice`);
    else mergeTrees(existing, value, path);
  }
  return target;
}

function dictionary(lang: Lang, common: Tree): Tree {
  const merged = mergeTrees({}, common);
  for (const [file, tree] of Object.entries(FEATURE_FILES)) if (file.endsWith(`/i18n/${lang}.json`)) mergeTrees(merged, tree);
  return merged;
}

export const DICTIONARIES: Record<Lang, Tree> = { en: dictionary('en', en as Tree), ru: dictionary('ru', ru as Tree) };
