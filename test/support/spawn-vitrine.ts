import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface VitrineProcess {
  proc: ChildProcess;
  output(): string;
  stderr(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
}

/** Runs the built entry point (`dist/src/<entry>`) with the given environment. */
export function spawnVitrine(env: Record<string, string | undefined>, entry = 'main.js', args: string[] = []): VitrineProcess {
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, LOG_LEVEL: 'warn', ...env })) if (v !== undefined) cleanEnv[k] = v;
  const proc = spawn(process.execPath, [resolve(ROOT, 'dist/src', entry), ...args], { cwd: ROOT, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  return {
    proc,
    output: () => out,
    stderr: () => err,
    exited: () => exit,
    waitForOutput(pattern, timeoutMs = 45_000) {
      return new Promise((res, rej) => {
        const started = Date.now();
        const tick = () => {
          if (pattern.test(out)) return res();
          if (proc.exitCode !== null) return rej(new Error(`process exited (${proc.exitCode}) before ${pattern}: ${out}\n${err}`));
          if (Date.now() - started > timeoutMs) return rej(new Error(`timed out waiting for ${pattern}: ${out}\n${err}`));
          setTimeout(tick, 50);
        };
        tick();
      });
    },
  };
}

/** What a finished CLI run printed. */
export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `vitrine <args>` (dist/src/cli.js) to the end. */
export async function runVitrineCli(env: Record<string, string | undefined>, args: string[]): Promise<CliRun> {
  const p = spawnVitrine(env, 'cli.js', args);
  const code = await p.exited();
  return { code, out: p.output(), err: p.stderr() };
}

export { freePort } from '../../bench/bench-server.js';
