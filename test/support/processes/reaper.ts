import { spawn } from 'node:child_process';
import { sessionMembers, signalAll } from './session-members.ts';

/*
 * `node reaper.ts <command> [args...]`, started as the leader of a session of its own (spawn's
 * `detached`): runs the command in that session and ends every process of the session when told to
 * (SIGTERM, SIGINT) or when its parent goes away (its stdin, a pipe from the parent, closes), so a
 * crashed test run or a killed `npm run dev:gcp` leaves no emulator or function behind. The session,
 * not the process group: gcloud's emulator wrapper (Python, then a shell script, then Java) moves
 * itself into a process group of its own unless it leads its session
 * (googlecloudsdk/command_lib/emulators/util.py, `os.setpgid(0, 0)`), and no process leaves a session.
 */
const [command, ...args] = process.argv.slice(2);
if (!command) throw new Error('usage: reaper.ts <command> [args...]');

const GRACE_MS = 5_000;
let ending = false;

/** The other live processes of this session (without /proc: the command, while it runs). */
const others = (): number[] =>
  sessionMembers(process.pid, process.pid) ??
  (child.exitCode === null && child.pid !== undefined ? [child.pid] : []);

function endSession(): void {
  if (ending) return;
  ending = true;
  signalAll(others(), 'SIGTERM');
  const started = Date.now();
  setInterval(() => {
    const left = others();
    if (left.length === 0) process.exit(0);
    if (Date.now() - started > GRACE_MS) signalAll(left, 'SIGKILL');
  }, 50);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (err) => {
  process.stderr.write(`reaper: cannot start ${command}: ${err.message}\n`);
  process.exit(127);
});
child.on('exit', (code) => {
  // What the command started must not outlive it.
  if (others().length === 0) process.exit(code ?? 1);
  endSession();
});

process.on('SIGTERM', endSession);
process.on('SIGINT', endSession);
process.stdin.on('end', endSession);
process.stdin.on('error', endSession);
process.stdin.resume();
