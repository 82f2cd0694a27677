import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';

/** Processes: the definitions and the monitoring of their instances, as two tabs that are two addresses. */
export function ProcessTabs() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const value = pathname.startsWith('/processes/instances') ? '/processes/instances' : '/processes';
  return (
    <Tabs value={value} onChange={(next) => next && void navigate(next)} mb="md">
      <Tabs.List>
        <Tabs.Tab value="/processes">{t('processes.tabs.definitions')}</Tabs.Tab>
        <Tabs.Tab value="/processes/instances">{t('processes.tabs.instances')}</Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}
