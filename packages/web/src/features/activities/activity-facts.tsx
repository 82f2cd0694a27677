import { scopeOf, type Activity, type ActivityKind, type Me } from '@rapport/shared';
import { Anchor, Badge, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../../components/icons';
import { useFormat } from '../../i18n/use-format';
import { recordUrl } from '../records/objects';
import { formatDuration } from './activity-draft';

const OWN_PATHS: Partial<Record<ActivityKind, ReactNode>> = {
  call: <path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />,
  sms: <path d="M8 9h8M8 13h6M18 4a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3h-5l-5 3v-3H6a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3z" />,
};
const SHARED_ICON = { note: 'pencil', meeting: 'calendar', email: 'mail' } as const;

/** The kind of an activity as a line icon (the timeline's bullets, the log buttons). */
export function ActivityIcon({ kind, size = 16 }: { kind: ActivityKind; size?: number }) {
  const own = OWN_PATHS[kind];
  if (!own) return <Icon name={SHARED_ICON[kind as keyof typeof SHARED_ICON]} size={size} />;
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {own}
    </svg>
  );
}

/**
 * Whether the signed-in user may change an activity, judged like the server does from its owner and team. A
 * "team and sub-teams" scope is taken as reaching the activity (the web does not know the team tree); the server has the last word.
 */
export function mayChange(me: Me, activity: Activity, action: 'update' | 'delete'): boolean {
  if (activity.kind === 'note') return false;
  const scope = scopeOf(me.permissions, 'activity', action);
  if (scope === 'none') return false;
  if (scope === 'all' || scope === 'team_sub' || activity.ownerId === me.user.id) return true;
  return scope === 'team' && activity.teamId !== null && activity.teamId === me.user.teamId;
}

/** The facts a timeline shows for an activity: direction, number, length, result, time, place, people, other records. */
export function ActivityFacts({ activity, recordId }: { activity: Activity; recordId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const facts: string[] = [];
  const fact = (content: string) => facts.push(content);

  if (activity.direction) fact(t(`activities.direction.${activity.direction}.${activity.kind}`));
  if (activity.phone) fact(activity.phone);
  if (activity.durationSec !== null && activity.durationSec !== undefined) fact(formatDuration(activity.durationSec));
  if (activity.result) fact(t(`activities.results.${activity.result}`, { defaultValue: activity.result }));
  if (activity.kind === 'meeting' && activity.startsAt) fact(`${format.dateTime(activity.startsAt)} – ${activity.endsAt ? format.dateTime(activity.endsAt) : '…'}`);
  if (activity.place) fact(activity.place);
  if (activity.status === 'planned' && activity.reminderMinutes !== null && activity.reminderMinutes !== undefined) {
    const when = t(`activities.reminder.before.${activity.reminderMinutes}`, { defaultValue: t('activities.reminder.custom', { minutes: activity.reminderMinutes }) });
    // The choice reads as a sentence start ("15 minutes before"); inside the fact it goes on after a colon.
    fact(t('activities.facts.reminder', { when: when.charAt(0).toLocaleLowerCase() + when.slice(1) }));
  }
  if (activity.emailFrom) fact(t('activities.facts.from', { address: activity.emailFrom }));
  if (activity.emailTo && activity.emailTo.length > 0) fact(t('activities.facts.to', { addresses: activity.emailTo.join(', ') }));
  const others = (activity.links ?? []).filter((link) => link.id !== recordId && link.title !== null);

  return (
    <>
      {activity.subject ? (
        <Text size="sm" fw={600}>
          {activity.subject}
        </Text>
      ) : null}
      {facts.length > 0 || activity.status === 'planned' || activity.status === 'cancelled' ? (
        <Group gap="xs" data-testid="activity-facts">
          {activity.status === 'planned' || activity.status === 'cancelled' ? (
            <Badge size="sm" variant="light" color={activity.status === 'planned' ? 'blue' : 'gray'}>
              {t(`activities.status.${activity.status}`)}
            </Badge>
          ) : null}
          {facts.length > 0 ? <Text size="sm">{facts.join(' · ')}</Text> : null}
        </Group>
      ) : null}
      {activity.participants && activity.participants.length > 0 ? (
        <Text size="sm" c="dimmed">
          {t('activities.facts.participants', { names: activity.participants.map((participant) => participant.name ?? '…').join(', ') })}
        </Text>
      ) : null}
      {activity.recordingUrl ? (
        <Anchor href={activity.recordingUrl} target="_blank" rel="noreferrer noopener" size="sm">
          {t('activities.facts.recording')}
        </Anchor>
      ) : null}
      {others.length > 0 ? (
        <Group gap={6}>
          <Text span size="xs" c="dimmed">
            {t('activities.facts.alsoOn')}
          </Text>
          {others.map((link) => (
            <Anchor key={link.id} component={Link} to={recordUrl(link.object, link.id)} size="xs">
              {link.title}
            </Anchor>
          ))}
        </Group>
      ) : null}
    </>
  );
}
