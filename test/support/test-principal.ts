import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../../src/access/principal.js';

/**
 * TEST ONLY. Header carrying a JSON {@link Principal}: a middleware installed by
 * {@link installTestPrincipal} (after the real auth chain, before the routes) puts it on
 * `req.principal`, so API tests can act as any principal without logging in. Never installed
 * by the application itself: it exists only in test/support.
 */
export const TEST_PRINCIPAL_HEADER = 'x-test-principal';

/** Installs the test-principal middleware; pass as `createTestApp({}, { beforeInit: installTestPrincipal })`. */
export function installTestPrincipal(app: NestExpressApplication): void {
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const raw = req.headers[TEST_PRINCIPAL_HEADER];
    if (typeof raw === 'string') (req as Request & { principal?: Principal }).principal = JSON.parse(raw) as Principal;
    next();
  });
}

/** Headers that make a request come from `principal`. */
export function as(principal: Principal): Record<string, string> {
  return { [TEST_PRINCIPAL_HEADER]: JSON.stringify(principal) };
}

/** A user principal with the given role and privacy level. */
export function userPrincipal(userId: number, role: 'webmaster' | 'admin' | 'editor' | 'contributor' | 'member', privacyLevel: 0 | 1 | 2 | 4 | 8 = 0): Principal {
  return { kind: 'user', userId, username: `u${userId}`, role, privacyLevel };
}
