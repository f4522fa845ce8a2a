import { digestJob } from '../digest/digest-job';
import { driftJob } from '../drift/drift-job';
import { satisfactionJob } from '../satisfaction/satisfaction-job';
import type { Job } from './job';
import { rollupJob } from './rollup-job';

/** Every job Spanlens schedules, in the order `jobs list` shows them. */
export function createJobs(): Job[] {
  return [rollupJob, satisfactionJob, driftJob, digestJob];
}
