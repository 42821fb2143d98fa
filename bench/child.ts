/**
 * Runs a whole child process and times it from spawn to exit, with a time
 * limit. A child may print its result as a JSON line and then fail to exit
 * (a worker pool kept alive); `stopAfterJson` takes the result and ends it.
 */
import { spawn } from 'node:child_process';

export interface ChildResult {
  /** Exit code, or null when the process was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit (or to the JSON result, with stopAfterJson). */
  seconds: number;
  timedOut: boolean;
  /** Printed its JSON result but did not exit within the grace period. */
  lingered: boolean;
  /** The last stdout line that parsed as a JSON object, if any. */
  json?: Record<string, unknown>;
  /** Set when the process could not be started at all (e.g. command not found). */
  spawnError?: string;
}

export interface ChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Once a JSON object line appears on stdout, wait this long for exit, then kill the child. */
  stopAfterJson?: { graceMs: number };
}

function lastJsonLine(text: string): Record<string, unknown> | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const v: unknown = JSON.parse(lines[i]!);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // not JSON: keep looking upwards
    }
  }
  return undefined;
}

export function runChild(command: string, args: readonly string[], opts: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let lingered = false;
    let resultAt: number | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const limit = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (opts.stopAfterJson && resultAt === undefined && chunk.includes('\n') && lastJsonLine(stdout)) {
        resultAt = performance.now();
        graceTimer = setTimeout(() => {
          lingered = true;
          child.kill('SIGKILL');
        }, opts.stopAfterJson.graceMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const finish = (code: number | null, spawnError?: string): void => {
      clearTimeout(limit);
      clearTimeout(graceTimer);
      const ended = lingered && resultAt !== undefined ? resultAt : performance.now();
      resolve({
        code, stdout, stderr, seconds: (ended - started) / 1000, timedOut, lingered,
        json: lastJsonLine(stdout), spawnError,
      });
    };
    child.on('error', (e) => finish(null, e.message));
    child.on('close', (code) => finish(lingered ? 0 : code));
  });
}

/** The last non-empty line of a child's stderr (or stdout), for a one-line explanation. */
export function lastLine(r: ChildResult): string {
  const lines = (r.stderr.trim() || r.stdout.trim()).split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? `exit code ${String(r.code)}`;
}
