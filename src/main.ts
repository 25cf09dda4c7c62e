import 'reflect-metadata';
import { startServer } from './bootstrap/server.js';
import { reportFatal } from './bootstrap/fatal.js';
import { tuneHeapGrowth } from './bootstrap/heap-growth.js';
import { loadConfig } from './config/config.js';

/** `npm start`: runs the gallery until SIGINT/SIGTERM, then shuts down cleanly. */
async function main(): Promise<void> {
  tuneHeapGrowth();
  const config = loadConfig();
  const server = await startServer(config);
  const lines = [`Vitrine is running at ${server.url}`];
  if (server.firstRun.created) {
    const { username, password, generated } = server.firstRun.created;
    lines.push(
      '',
      'First start: the webmaster account was created.',
      `  Log in at ${server.url}/login`,
      `  user:     ${username}`,
      generated ? `  password: ${password}   (generated and shown only this once — change it after logging in)` : '  password: the one given in ADMIN_PASSWORD',
    );
  }
  lines.push('', `Data: ${config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`}. Stop with Ctrl-C.`);
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal} received: finishing requests in flight and closing the database…\n`);
    const force = setTimeout(() => {
      process.stderr.write('Shutdown took longer than 15 s; exiting anyway.\n');
      process.exit(1);
    }, 15_000);
    force.unref();
    server.close().then(
      () => {
        process.stdout.write('Vitrine stopped.\n');
        process.exit(0);
      },
      (error) => {
        reportFatal(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  reportFatal(error);
  process.exit(1);
});
