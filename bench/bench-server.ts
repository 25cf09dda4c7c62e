/**
 * The built server (dist/src/main.js) as a child process for the HTTP benches, and the /proc
 * readings they print. One place for how a bench starts, waits for and stops Vitrine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface BenchServer {
  proc: ChildProcess;
  /** Resolves once the server printed its start-up banner; rejects if it exits first. */
  ready: Promise<void>;
  /** SIGTERM (graceful shutdown), then waits for the exit. */
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  /** Checkout whose dist/src/main.js runs. */
  root: string;
  /** Added to the inherited environment (wins over it). */
  env: Record<string, string>;
  /** Used only where the environment does not set them (e.g. MALLOC_ARENA_MAX as `npm start` sets it). */
  envDefaults?: Record<string, string>;
  /** Node flags for the server (e.g. from BENCH_NODE_ARGS: `--cpu-prof`). */
  nodeArgs?: string[];
  /** Appends the server's stdout to this file (e.g. BENCH_SERVER_LOG). */
  logFile?: string;
}

export function startServer(options: BenchServerOptions): BenchServer {
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), join(options.root, 'dist/src/main.js')], {
    cwd: options.root,
    env: { ...options.envDefaults, ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise<void>((res, rej) => {
    proc.stdout!.on('data', (d) => {
      if (options.logFile) appendFileSync(options.logFile, d);
      out += String(d);
      if (/Stop with Ctrl-C/.test(out)) res();
    });
    proc.on('exit', (code) => rej(new Error(`server exited (${code}): ${out}`)));
  });
  const exited = new Promise<void>((res) => proc.on('exit', () => res()));
  return {
    proc,
    ready,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Node flags for the bench's server from BENCH_NODE_ARGS (space-separated). */
export function benchNodeArgs(): string[] {
  return process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/**
 * CPU time (user + system) a process — or one of its threads — has used, in ms, from /proc
 * (Linux; NaN where it cannot be read).
 */
export function cpuMsOf(pid: number, tid?: string): number {
  try {
    const fields = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

/** The whole machine's CPU time so far, in ms: busy (everything but idle and iowait) and total, from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: (busy * 1000) / 100, total: ((busy + idle + iowait) * 1000) / 100 };
}
