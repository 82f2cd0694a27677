import { Birthdays, BirthdaysQuery, CalendarFeedCreated, CalendarFeedStatus, CalendarItems, CalendarLoad, CalendarLoadQuery, CalendarQuery, MyDay, MyDayQuery, type Activity } from '@rapport/shared';
import { Type } from 'typebox';
import { hideFields } from '../../core/field-rules.js';
import { ctxOf } from '../../http/access.js';
import { NoContent, type App } from '../../http/app-types.js';
import { sendProblem } from '../../http/problem.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['calendar'] };
// Calendar apps poll a feed every few minutes at most; this is far above that and far below guessing speed.
const FEED_LIMIT = { max: 30, timeWindow: '1 minute' };

export function calendarRoutes(app: App, services: Services): void {
  // Tasks and activities each apply their own read scope in the service; a role needs either right.
  // The answer comes written by the database (calendar.repository.ts itemRows): a JSON string is sent as it is.
  app.get('/api/v1/calendar', { config: { access: 'authenticated' }, schema: { ...TAG, querystring: CalendarQuery, response: { 200: CalendarItems } } }, async (request, reply) =>
    reply.type('application/json; charset=utf-8').send((await services.calendar.range(ctxOf(request), request.query)) as unknown as CalendarItems),
  );

  app.get('/api/v1/calendar/load', { config: { access: 'authenticated' }, schema: { ...TAG, querystring: CalendarLoadQuery, response: { 200: CalendarLoad } } }, (request) =>
    services.calendar.load(ctxOf(request), request.query),
  );

  app.get('/api/v1/my-day', { config: { access: 'authenticated' }, schema: { ...TAG, querystring: MyDayQuery, response: { 200: MyDay } } }, async (request) => {
    const ctx = ctxOf(request);
    const day = await services.calendar.myDay(ctx, request.query.period ?? 'day');
    return day.team ? { ...day, team: { ...day.team, interactions: day.team.interactions.map((activity) => hideFields(ctx.actor, 'activity', activity) as Activity) } } : day;
  });

  app.get('/api/v1/birthdays', { config: { access: { object: 'contact', action: 'read' } }, schema: { ...TAG, querystring: BirthdaysQuery, response: { 200: Birthdays } } }, (request) =>
    services.calendar.birthdays(ctxOf(request), request.query.days ?? 14, request.query.mine ?? false),
  );

  // A user's own secret address: anyone signed in may have one; it shows only what they may read.
  app.get('/api/v1/calendar/feed', { config: { access: 'authenticated' }, schema: { ...TAG, response: { 200: CalendarFeedStatus } } }, (request) => services.calendar.feedStatus(ctxOf(request)));

  app.post('/api/v1/calendar/feed', { config: { access: 'authenticated' }, schema: { ...TAG, response: { 201: CalendarFeedCreated } } }, async (request, reply) =>
    reply.status(201).send(await services.calendar.createFeed(ctxOf(request))),
  );

  app.delete('/api/v1/calendar/feed', { config: { access: 'authenticated' }, schema: { ...TAG, response: { 204: NoContent } } }, async (request, reply) => {
    await services.calendar.deleteFeed(ctxOf(request));
    return reply.status(204).send(null);
  });

  app.get(
    '/ical/:token.ics',
    { config: { access: { public: 'holder of a secret calendar feed address' }, rateLimit: FEED_LIMIT }, schema: { ...TAG, params: Type.Object({ token: Type.String({ maxLength: 100 }) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const text = await services.calendar.icsFeed(request.params.token);
      if (text === undefined) return sendProblem(reply, request, 'not_found', 'No such calendar feed');
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(text);
    },
  );
}
