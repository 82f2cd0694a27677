import { Button, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from './icons';

/** Shown instead of a page the user's role does not open (the API refuses it too). */
export function NotAllowed() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <ThemeIcon size={56} radius="xl" color="orange" variant="light" aria-hidden>
          <Icon name="lock" size={28} />
        </ThemeIcon>
        <Title order={1} size="h2">
          {t('notAllowed.title')}
        </Title>
        <Text c="dimmed">{t('notAllowed.text')}</Text>
        <Button component={Link} to="/" variant="light">
          {t('notAllowed.home')}
        </Button>
      </Stack>
    </Center>
  );
}
