import { refreshDailyRollup } from '../rollup/daily-rollup';
import { refreshRollup } from '../rollup/refresh-rollup';
import { floorToMinutes, type Job, type JobWindow } from './job';

const HOUR_MS = 3_600_000;
/** A week of hours per run keeps a run well under 30 s on a busy store; a backfill takes several runs. */
const MAX_HOURS_PER_RUN = 168;
const MAX_DAYS_PER_RUN = 31;

/**
 * Keeps the exact hourly rollup fresh. Its window is the last hour that has
 * ended by `end`; a run also repairs any earlier hour that is stale (a late
 * span, a run that died half-way), so the rows it reports are hours refreshed.
 * Running a window again refreshes only what became stale since, and readers
 * stay exact while the rollup lags, because stale hours are read raw.
 */
export const rollupJob: Job = {
  name: 'rollup',
  description: 'Recomputes every ended hour touched since its last rollup (cost API speed-up)',
  defaultSchedule: '*/10 * * * * *',
  window(end: Date): JobWindow {
    const hourEnd = floorToMinutes(end, 60);
    return { start: new Date(hourEnd.getTime() - HOUR_MS), end: hourEnd };
  },
  async run({ client, database, window }) {
    // refreshRollup leaves the hour its clock is in to raw reads, so the
    // clock must fall in the hour after the window. The real clock does when
    // the window is the current one, and keeps the snapshot versions of runs
    // on different replicas apart; a window in the past runs with the last
    // instant of that hour.
    const clock = new Date(Math.min(Date.now(), window.end.getTime() + HOUR_MS - 1));
    const { hoursRefreshed, hoursStillStale } = await refreshRollup(client, database, { now: clock, maxHours: MAX_HOURS_PER_RUN });
    // Days whose hours are all fresh get (or renew) their daily rows.
    const { daysRefreshed } = await refreshDailyRollup(client, database, { now: clock, maxDays: MAX_DAYS_PER_RUN });
    const left = hoursStillStale > 0 ? `; ${hoursStillStale} older left for the next runs` : '';
    const days = daysRefreshed > 0 ? `; ${daysRefreshed} ${daysRefreshed === 1 ? 'day' : 'days'} rolled up` : '';
    return { rows: hoursRefreshed + daysRefreshed, detail: `${hoursRefreshed} ${hoursRefreshed === 1 ? 'hour' : 'hours'} refreshed${left}${days}` };
  },
};
