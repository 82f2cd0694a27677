import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { applyLanguage, currentLanguage, isLanguage } from '../i18n/i18n';

/** Language toggle for the pages before sign-in; remembered in this browser only. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={currentLanguage()}
      onChange={(value) => {
        if (isLanguage(value)) void applyLanguage(value);
      }}
      data={[
        { value: 'en', label: t('language.en') },
        { value: 'ru', label: t('language.ru') },
      ]}
    />
  );
}
