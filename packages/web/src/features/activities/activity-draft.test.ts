import type { Activity } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { buildActivityBody, draftOfActivity, newDraft, parseDuration, toLocalInput, updateBody } from './activity-draft';

const CONTACT = { object: 'contact' as const, id: '0190a000-0000-7000-8000-000000000001' };
const NOW = new Date(2026, 2, 10, 14, 25);

describe('activity forms', () => {
  it('reads a duration as minutes, m:ss or h:mm:ss, and refuses anything else', () => {
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('3:05')).toBe(185);
    expect(parseDuration('12')).toBe(720);
    expect(parseDuration('1,5')).toBe(90);
    expect(parseDuration('1:02:03')).toBe(3723);
    expect(parseDuration('-3')).toBeUndefined();
    expect(parseDuration('three')).toBeUndefined();
  });

  it('logs a call now with the record phone, sending only what a call uses', () => {
    const draft = { ...newDraft('call', [CONTACT], { now: NOW, phone: '+7 916 555-12-34' }), duration: '2:30', result: 'answered', body: ' Agreed ', place: 'ignored' };
    const { body, errors } = buildActivityBody(draft, NOW);
    expect(errors).toEqual({});
    expect(body).toEqual({
      kind: 'call',
      subject: null,
      body: 'Agreed',
      links: [CONTACT],
      direction: 'outbound',
      phone: '+7 916 555-12-34',
      durationSec: 150,
      result: 'answered',
      recordingUrl: null,
      startsAt: NOW.toISOString(),
      reminderMinutes: null,
      participantIds: [],
    });
  });

  it('sends a reminder on a planned meeting, refuses one in the past, and leaves one kept as it was alone', () => {
    const meeting = { ...newDraft('meeting', [CONTACT], { now: NOW }), subject: 'Demo', reminder: '15' };
    expect(buildActivityBody(meeting, NOW).body).toMatchObject({ kind: 'meeting', reminderMinutes: 15, startsAt: new Date(2026, 2, 10, 15, 0).toISOString() });
    expect(buildActivityBody({ ...meeting, reminder: '' }, NOW).body).toMatchObject({ reminderMinutes: null });
    expect(buildActivityBody({ ...meeting, reminder: '60' }, NOW).errors).toEqual({ reminder: 'activities.errors.reminderPast' });
    // Stored with its reminder already past, the meeting is edited (its place): the reminder is not checked again.
    const stored = { kind: 'meeting', startsAt: new Date(2026, 2, 10, 15, 0).toISOString(), endsAt: new Date(2026, 2, 10, 16, 0).toISOString(), status: 'planned', reminderMinutes: 60, durationSec: null, subject: 'Demo', links: [{ ...CONTACT, title: 'Anna' }], participants: [] } as unknown as Activity;
    const edit = { ...draftOfActivity(stored), place: 'Room 2' };
    expect(edit.reminder).toBe('60');
    expect(buildActivityBody(edit, NOW, stored).errors).toEqual({});
    expect(buildActivityBody({ ...edit, reminder: '30' }, NOW, stored).errors).toEqual({});
    expect(buildActivityBody({ ...edit, reminder: '45' }, NOW, stored).errors).toEqual({ reminder: 'activities.errors.reminderPast' });
  });

  it('points at the field that is wrong before anything is sent', () => {
    const meeting = { ...newDraft('meeting', [CONTACT], { now: NOW }), subject: 'Demo', endsAt: toLocalInput(new Date(2026, 2, 10, 9, 0)) };
    expect(buildActivityBody(meeting, NOW).errors).toEqual({ endsAt: 'activities.errors.endBeforeStart' });
    expect(buildActivityBody({ ...meeting, subject: ' ', endsAt: meeting.startsAt }, NOW).errors).toEqual({ subject: 'fieldErrors.required' });
    expect(buildActivityBody({ ...newDraft('call', [CONTACT], { now: NOW }), duration: '-1' }, NOW).errors).toEqual({ duration: 'activities.errors.duration' });
    const sms = { ...newDraft('sms', [CONTACT], { now: NOW }), occurredAt: toLocalInput(new Date(2026, 2, 11, 14, 25)) };
    expect(buildActivityBody(sms, NOW).errors).toEqual({ phone: 'fieldErrors.required', body: 'fieldErrors.required', occurredAt: 'activities.errors.future' });
    expect(buildActivityBody({ ...newDraft('call', [], { now: NOW }) }, NOW).errors).toEqual({ links: 'fieldErrors.required' });
  });

  it('edits an activity as it is, without changing its kind', () => {
    const activity = {
      id: '0190a000-0000-7000-8000-0000000000a1',
      kind: 'email',
      subject: 'Offer',
      body: null,
      occurredAt: new Date(2026, 2, 9, 10, 0).toISOString(),
      status: null,
      direction: 'inbound',
      phone: null,
      phoneE164: null,
      durationSec: null,
      result: null,
      recordingUrl: null,
      startsAt: null,
      endsAt: null,
      place: null,
      emailFrom: 'bill@initech.example',
      emailTo: ['sales@acme.example'],
      links: [{ ...CONTACT, title: 'Bill' }],
      participants: [],
      version: 3,
    } as unknown as Activity;
    const { body, errors } = buildActivityBody(draftOfActivity(activity), NOW);
    expect(errors).toEqual({});
    expect(updateBody(body, activity.version)).toEqual({
      subject: 'Offer',
      body: null,
      links: [CONTACT],
      direction: 'inbound',
      occurredAt: activity.occurredAt,
      emailFrom: 'bill@initech.example',
      emailTo: ['sales@acme.example'],
      version: 3,
    });
  });
});
