import type { Benchmark } from '../lib/benchmark.js';
import { apiOverhead } from './api-overhead.bench.js';
import { baseRotation } from './base-rotation.bench.js';
import { bpmComplete } from './bpm-complete.bench.js';
import { bpmMap } from './bpm-map.bench.js';
import { bpmStart } from './bpm-start.bench.js';
import { bpmTimers } from './bpm-timers.bench.js';
import { calendarWeek } from './calendar-week.bench.js';
import { cardOpen } from './card-open.bench.js';
import { createContact } from './create-contact.bench.js';
import { export1m } from './export-1m.bench.js';
import { forecastReport } from './forecast-report.bench.js';
import { import100k } from './import-100k.bench.js';
import { import1m } from './import-1m.bench.js';
import { funnelReport } from './funnel-report.bench.js';
import { kanban } from './kanban.bench.js';
import { listFilter } from './list-filter.bench.js';
import { reminderLateness } from './reminder-lateness.bench.js';
import { robotLatency } from './robot-latency.bench.js';
import { search } from './search.bench.js';
import { startup } from './startup.bench.js';
import { timeline } from './timeline.bench.js';
import { webForm } from './web-form.bench.js';

/**
 * Every benchmark, in the order `npm run bench` runs them. The client-base ones share one generated database per
 * run; create-contact writes to it, so it comes after the reading ones. The activity ones (timeline, calendar-week,
 * base-rotation) share another, with activities and tasks; the sales ones (kanban, funnel-report, forecast-report,
 * robot-latency) a third, with deals — robot-latency moves deals, so it comes last. web-form adds leads to the client base.
 * The BPM ones (bpm-start, bpm-complete, bpm-timers, bpm-map) each make their own database with the deployed process.
 */
export const BENCHMARKS: readonly Benchmark[] = [apiOverhead, startup, cardOpen, listFilter, search, export1m, import100k, import1m, createContact, timeline, calendarWeek, baseRotation, reminderLateness, kanban, funnelReport, forecastReport, webForm, robotLatency, bpmStart, bpmComplete, bpmTimers, bpmMap];
