import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isLanguage, LANGUAGES, type Language } from '../i18n/i18n';

/** Language field of a form; each language is named in itself. */
export function LanguageSelect({ value, onChange, label, description }: { value: Language; onChange: (language: Language) => void; label?: string; description?: string }) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={label ?? t('language.label')}
      description={description}
      value={value}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (isLanguage(next)) onChange(next);
      }}
      data={LANGUAGES.map((code) => ({ value: code, label: t(`language.${code}`) }))}
    />
  );
}
