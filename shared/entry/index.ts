export { cloudRunHttp } from './cloud-run.ts';
export * from './factories.ts';
