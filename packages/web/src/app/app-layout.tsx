import { AppShell, Burger, em, Group, NavLink, ScrollArea, Text, useMantineTheme } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { Icon } from '../components/icons';
import { Logo } from '../components/logo';
import { NotificationBell } from '../features/notifications/notification-bell';
import { UserMenu } from '../features/profile/user-menu';
import { CommandPalette } from '../features/search/command-palette';
import { canOpenSection, CLIENT_AREAS, SETTINGS_SECTIONS, WORK_AREAS } from './navigation';
import { useCan, useMe } from './session';
import { useRealtime } from './use-realtime';

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const theme = useMantineTheme();
  const phone = useMediaQuery(`(max-width: ${em(theme.breakpoints.sm)})`) ?? false;
  useRealtime();

  // On a phone the navigation covers the page: close it once the user has picked a page.
  useEffect(() => close(), [pathname, close]);

  const settingsSections = SETTINGS_SECTIONS.filter((section) => canOpenSection(section, can));
  const clientAreas = CLIENT_AREAS.filter((area) => can(area.object, 'read'));
  const inSettings = pathname.startsWith('/settings');

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={{ base: 'sm', sm: 'lg' }}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} aria-expanded={opened} aria-controls="main-navigation" />
            <Link to="/" aria-label={t('nav.home')} style={{ display: 'flex' }}>
              <Logo size={28} />
            </Link>
            <Text fw={700} truncate="end" data-testid="workspace-name">
              {me.workspace.name}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {clientAreas.length > 0 ? <CommandPalette /> : null}
            <NotificationBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar
        p="sm"
        id="main-navigation"
        aria-label={t('nav.main')}
        component="nav"
        // Off-screen on a phone until the burger opens it: keep it out of the tab order and the accessibility tree too.
        style={phone && !opened ? { visibility: 'hidden' } : undefined}
      >
        <AppShell.Section grow component={ScrollArea}>
          <NavLink component={Link} to="/" label={t('nav.home')} leftSection={<Icon name="home" />} active={pathname === '/'} />
          {clientAreas.map((area) => (
            <NavLink key={area.key} component={Link} to={area.path} label={t(`nav.${area.key}`)} leftSection={<Icon name={area.icon} />} active={pathname === area.path || pathname.startsWith(`${area.path}/`)} />
          ))}
          {WORK_AREAS.filter((area) => area.anyOf.some((object) => can(object, 'read'))).map((area) => (
            <NavLink key={area.key} component={Link} to={area.path} label={t(`nav.${area.key}`)} leftSection={<Icon name={area.icon} />} active={pathname === area.path || pathname.startsWith(`${area.path}/`)} />
          ))}
          {settingsSections.length > 0 ? (
            <NavLink component="button" type="button" label={t('nav.settings')} leftSection={<Icon name="settings" />} defaultOpened={inSettings} active={inSettings && pathname === '/settings'} childrenOffset={28}>
              {settingsSections.map((section) => (
                <NavLink key={section.path} component={Link} to={section.path} label={t(section.labelKey)} active={pathname === section.path || pathname.startsWith(`${section.path}/`)} />
              ))}
            </NavLink>
          ) : null}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
