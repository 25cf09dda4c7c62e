import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's defaults (m=19 MiB, t=2, p=1), as OWASP recommends. */
export const PasswordHasher = {
  hash(password: string): Promise<string> {
    return hash(password);
  },
  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    if (!passwordHash) {
      // Spend comparable time on unknown accounts, so timing does not reveal which exist.
      await hash(password);
      return false;
    }
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  },
};

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;
