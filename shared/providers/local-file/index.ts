export {
  contentRevision,
  createLocalFileDesignProvider,
  type LocalFileDesignOptions,
} from './local-file-design-provider.ts';
export { type FileLockOptions, withFileLock } from './with-file-lock.ts';
export { writeFileAtomic } from './write-file-atomic.ts';
