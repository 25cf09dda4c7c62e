#!/usr/bin/env node
// `npx vitrine <command>`: runs the compiled CLI, building it first when needed.
//
// glibc reads MALLOC_ARENA_MAX only when a process starts, so when it is unset (or empty) the
// CLI runs in a child process with MALLOC_ARENA_MAX=2, as `npm start` and the Docker image run
// the server: `vitrine import` decodes photos on libvips threads like the server does, and
// without it each thread's malloc arena keeps freed decode buffers (src/media/README.md
// "Server memory").
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (process.env.MALLOC_ARENA_MAX) {
  await import(cli);
} else {
  const child = spawn(process.execPath, [...process.execArgv, cli, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  // Ctrl-C in a terminal reaches the child too (same process group): forwarding it would count as
  // a second interrupt, which makes `vitrine import` quit at once. Other signals are passed on.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
