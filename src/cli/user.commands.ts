import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { Errors } from '../common/errors.js';
import { ROLES, type Role } from '../users/user.entity.js';
import { UserService } from '../users/user.service.js';
import { withDatabase } from './cli-context.js';

/** `create-user` and `reset-password`. */
export function registerUserCommands(program: Command): void {
  program
    .command('create-user')
    .description('create an account (a password is generated and printed when none is given)')
    .argument('<username>')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'member')
    .option('--email <email>')
    .option('--password <password>', 'at least 8 characters (prefer VITRINE_PASSWORD to keep it out of shell history)')
    .action(async (username: string, opts: { role: string; email?: string; password?: string }) => {
      const given = opts.password ?? process.env.VITRINE_PASSWORD;
      const password = given ?? randomBytes(12).toString('base64url');
      const user = await withDatabase((ds) =>
        new UserService(ds).create({ username, email: opts.email, password, role: opts.role as Role }),
      );
      process.stdout.write(`Created ${user.role} "${user.username}" (id ${user.id}).\n`);
      if (!given) process.stdout.write(`Password: ${password}\n`);
    });

  program
    .command('reset-password')
    .description('set a new password for an account and end its sessions')
    .argument('<username>')
    .option('--password <password>', 'the new password (generated and printed when absent)')
    .action(async (username: string, opts: { password?: string }) => {
      const given = opts.password ?? process.env.VITRINE_PASSWORD;
      const password = given ?? randomBytes(12).toString('base64url');
      await withDatabase(async (ds) => {
        const users = new UserService(ds);
        const user = await users.findByUsername(username);
        if (!user) throw Errors.notFound('user', `"${username}"`);
        await users.setPassword(user.id, password);
      });
      process.stdout.write(`Password of "${username}" changed; its sessions were ended.\n`);
      if (!given) process.stdout.write(`New password: ${password}\n`);
    });
}
