import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Last resort when a page crashes while rendering. */
export function RouteError() {
  const { t } = useTranslation();
  return (
    <Center mih="100dvh" p="md">
      <Stack align="center" ta="center" maw={420}>
        <Title order={1} size="h2">
          {t('crash.title')}
        </Title>
        <Text c="dimmed">{t('crash.text')}</Text>
        <Button onClick={() => window.location.reload()}>{t('common.reload')}</Button>
      </Stack>
    </Center>
  );
}
