import { Card, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { canOpenSection, SETTINGS_SECTIONS } from '../../app/navigation';
import { useCan } from '../../app/session';
import { NotAllowed } from '../../components/not-allowed';
import { PageHeader } from '../../components/page-header';

/** The settings overview: one card per section the user may open. */
export function SettingsIndexPage() {
  const { t } = useTranslation();
  const can = useCan();
  const sections = SETTINGS_SECTIONS.filter((section) => canOpenSection(section, can));
  if (sections.length === 0) return <NotAllowed />;
  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        {sections.map((section) => (
          <UnstyledButton key={section.path} component={Link} to={section.path} style={{ display: 'block' }}>
            <Card withBorder radius="md" padding="lg" h="100%">
              <Text fw={600}>{t(section.labelKey)}</Text>
              <Text size="sm" c="dimmed" mt={4}>
                {t(section.descriptionKey)}
              </Text>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </>
  );
}
