export { runBootstrap } from './run-bootstrap.ts';
export { BOOTSTRAP_JOB, cancelBootstrap, startBootstrap } from './start-bootstrap.ts';
