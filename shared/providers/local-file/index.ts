export { createLocalFileDesignProvider } from './local-file-design-provider.ts';
export { withFileLock } from './with-file-lock.ts';
export { writeFileAtomic } from './write-file-atomic.ts';
