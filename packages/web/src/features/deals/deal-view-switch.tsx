import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** Switches between the deal list and the board. */
export function DealViewSwitch({ view }: { view: 'list' | 'board' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <SegmentedControl
      aria-label={t('records.deal.title')}
      value={view}
      onChange={(next) => void navigate(next === 'board' ? '/deals/board' : '/deals')}
      data={[
        { value: 'board', label: t('deals.view.board') },
        { value: 'list', label: t('deals.view.list') },
      ]}
    />
  );
}
