import { execFile } from 'node:child_process';
import { devNull } from 'node:os';
import { AppError } from '../../errors/index.ts';

export interface GitIdentity {
  name: string;
  email: string;
}

export const BRIDGE_IDENTITY: GitIdentity = { name: 'Integration Bridge', email: 'bridge@localhost' };

export interface GitRunnerOptions {
  /** Repository path used in error messages (never the environment). */
  label: string;
  gitBinary?: string;
  /** Only PATH is taken from it: git must not see the caller's GIT_DIR, GIT_INDEX_FILE or credentials. */
  env?: Record<string, string | undefined>;
  identity?: GitIdentity;
}

export interface GitRunOptions {
  /** Working directory; a repository-bound runner always uses the git directory. */
  cwd?: string;
  input?: string | Buffer;
  /** Extra environment (GIT_INDEX_FILE, GIT_CEILING_DIRECTORIES). */
  env?: Record<string, string>;
  /** Exit codes that are answers, not failures (e.g. 1 from `rev-parse --verify --quiet`). */
  okCodes?: number[];
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitRunner {
  run(args: string[], options?: GitRunOptions): Promise<GitResult>;
  /** Trimmed stdout as text; throws unless git exits 0. */
  text(args: string[], options?: GitRunOptions): Promise<string>;
  callCount(): number;
}

// execFile buffers stdout; a snapshot's `cat-file --batch` output is the only large one.
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/**
 * Spawns git without a shell, with a fixed minimal environment: no terminal prompts, no system or
 * global config (so the user's identity, signing or hooks setup cannot change a bridge commit).
 */
export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const gitBinary = options.gitBinary ?? 'git';
  const identity = options.identity ?? BRIDGE_IDENTITY;
  const baseEnv: Record<string, string> = {
    PATH: options.env?.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    LC_ALL: 'C',
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
  let calls = 0;

  const run = (args: string[], runOptions: GitRunOptions = {}): Promise<GitResult> =>
    new Promise((resolve, reject) => {
      calls += 1;
      const child = execFile(
        gitBinary,
        ['-c', 'core.fsmonitor=false', ...args],
        {
          cwd: runOptions.cwd,
          env: { ...baseEnv, ...runOptions.env },
          encoding: 'buffer',
          maxBuffer: MAX_OUTPUT_BYTES,
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          const errText = stderr.toString('utf8');
          if (error && typeof error.code !== 'number') {
            reject(spawnError(error as NodeJS.ErrnoException, gitBinary, options.label, args));
            return;
          }
          const code = error ? Number(error.code) : 0;
          if (code !== 0 && !(runOptions.okCodes ?? []).includes(code)) {
            reject(gitFailure(options.label, args, errText));
            return;
          }
          resolve({ code, stdout, stderr: errText });
        },
      );
      // git may exit before reading all of its input (e.g. on a bad argument): that is reported by
      // the exit code, not by an EPIPE on stdin.
      child.stdin?.on('error', () => {});
      child.stdin?.end(runOptions.input ?? '');
    });

  return {
    run,
    async text(args, runOptions = {}) {
      return (await run(args, runOptions)).stdout.toString('utf8').trim();
    },
    callCount: () => calls,
  };
}

/** Subcommand name without the global options, for messages. */
function subcommand(args: string[]): string {
  const name = args.find((a) => !a.startsWith('-') && !a.includes('='));
  return name ?? 'git';
}

function gitFailure(label: string, args: string[], stderr: string): AppError {
  const firstLine =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'no error output';
  return new AppError(
    'upstream_failed',
    `git ${subcommand(args)} failed in ${label}: ${firstLine.slice(0, 300)}`,
    { details: { repository: label } },
  );
}

function spawnError(
  error: NodeJS.ErrnoException,
  gitBinary: string,
  label: string,
  args: string[],
): AppError {
  if (error.code === 'ENOENT') {
    return new AppError(
      'unavailable',
      `git executable "${gitBinary}" not found on PATH (needed for ${label})`,
    );
  }
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return new AppError('payload_too_large', `git ${subcommand(args)} output too large in ${label}`);
  }
  return new AppError(
    'upstream_failed',
    `git ${subcommand(args)} could not run in ${label}: ${error.code ?? 'error'}`,
  );
}
