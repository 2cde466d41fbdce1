export { HEALTH_CHANGED, type HealthJobOptions, runHealthJob } from './health-job.ts';
