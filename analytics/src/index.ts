export { createApiRouter } from './api/router';
export type { ApiRouterOptions } from './api/router';
export { RollupScheduler } from './jobs/rollup-scheduler';
export { queryCosts } from './costs/query-costs';
export { refreshRollup } from './rollup/refresh-rollup';
export type { Job, JobContext, JobResult, JobWindow, JobRunRecord, JobStatus, JobsControl } from './jobs/job';
