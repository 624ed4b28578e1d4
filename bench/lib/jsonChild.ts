// Runs a child process that reports on its last line of stdout as JSON (the PyTorch
// scripts, a notebook's kernel process) and reads that line back.
import { execFile } from 'node:child_process';

/** The parsed last line, or why there is none (the error's first line and stderr's last). */
export function runForJson<T>(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ value?: T; failure?: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      try {
        resolve({ value: JSON.parse(stdout.trim().split('\n').pop() ?? '') as T });
      } catch {
        const why = error ? error.message.split('\n')[0] : 'unreadable output';
        resolve({ failure: `${why} ${stderr.trim().split('\n').pop() ?? ''}`.trim() });
      }
    });
  });
}
