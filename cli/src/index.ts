export { startSpanlens } from './start';
export type { RunningSpanlens } from './start';
