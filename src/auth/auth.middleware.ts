import { Inject, Injectable, type INestApplication, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logger.js';
import { toProblem } from '../common/problem.filter.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { AppSecretService } from '../settings/app-secret.service.js';
import { AuthPassport } from './auth.passport.js';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings.js';
import { bearerToken, SAFE_METHODS, type AuthRequest } from './auth.types.js';
import { assertSameOrigin, csrfTokenError, csrfTokenFor, existingCsrfToken, hasValidCsrfToken, isForgeable, normalisePath, takePresentedToken } from './csrf.js';
import { PrincipalResolverRegistry, readOnlyKeyError } from './principal.resolver.js';
import { DbSessionStore } from './session.store.js';

/** Paths that log in: checked for cross-site Origin even without cookies (login CSRF). */
export const LOGIN_PATHS: ReadonlySet<string> = new Set(['/login', '/api/v1/session']);

/**
 * The express-level auth chain, installed for every request before any route (also routes
 * mounted outside Nest, such as ws.php):
 * 1. cross-site refusal for cookie-borne writes (`Origin` / `Sec-Fetch-Site`);
 * 2. the session (express-session on {@link DbSessionStore}, cookie `vitrine_sid`), skipped for
 *    Bearer-key requests;
 * 3. passport's initialize;
 * 4. `req.principal` from the {@link PrincipalResolverRegistry}, and "read-scope keys only read";
 *    `req.csrfToken()` for templates.
 * Errors are answered as problem+json here (express has no Nest filter at this level).
 */
@Injectable()
export class AuthMiddleware {
  readonly store: DbSessionStore;
  private sessionHandler?: Promise<RequestHandler>;
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    dataSource: DataSource,
    private readonly secrets: AppSecretService,
    private readonly passport: AuthPassport,
    private readonly principals: PrincipalResolverRegistry,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.store = new DbSessionStore(dataSource, settings);
    this.allowedOrigins = new Set([new URL(config.publicUrl).origin]);
  }

  /** The handlers, in order. */
  handlers(): RequestHandler[] {
    const initialize = this.passport.initialize();
    return [
      this.guard((req) => assertSameOrigin(req, this.allowedOrigins, LOGIN_PATHS)),
      (req, res, next) => this.session(req, res, next),
      initialize,
      this.guard(async (req) => {
        const principal = await this.principals.resolve(req);
        (req as AuthRequest).principal = principal;
        (req as AuthRequest).csrfToken = (options) => (options?.create ? csrfTokenFor(req) : existingCsrfToken(req)) ?? '';
        if (principal.kind === 'user' && principal.apiKey && !principal.apiKey.scopes.includes('write') && !SAFE_METHODS.has(req.method)) {
          throw readOnlyKeyError();
        }
      }),
    ];
  }

  private session(req: Request, res: Response, next: NextFunction): void {
    if (bearerToken(req) !== null) return next();
    this.sessionHandler ??= this.secrets.get().then((secret) =>
      session({
        name: this.settings.cookieName,
        secret: secret.toString('base64url'),
        store: this.store,
        resave: false,
        saveUninitialized: false,
        rolling: false,
        unset: 'keep',
        cookie: {
          httpOnly: true,
          sameSite: 'lax',
          secure: this.config.secureCookies ? true : 'auto',
          path: '/',
          // The browser keeps the cookie for the absolute lifetime; idle expiry is enforced by the store.
          maxAge: this.settings.absoluteTtlMs,
        },
      }),
    );
    this.sessionHandler.then(
      (handler) => handler(req, res, (err?: unknown) => (err ? this.fail(req, res, err) : next())),
      (err: unknown) => this.fail(req, res, err),
    );
  }

  private guard(check: (req: Request) => void | Promise<void>): RequestHandler {
    return (req, res, next) => {
      Promise.resolve()
        .then(() => check(req))
        .then(
          () => next(),
          (err: unknown) => this.fail(req, res, err),
        );
    };
  }

  private fail(req: Request, res: Response, error: unknown): void {
    const problem = toProblem(error, req.originalUrl);
    if (problem.status >= 500) this.logger.error({ err: error, url: req.originalUrl }, 'auth middleware failed');
    if (res.headersSent) return;
    if (problem.status === 401 && bearerToken(req) !== null) res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

/**
 * Installs the auth chain on the express app. Call once in `createApp`, after the request logger
 * and before anything that serves requests.
 */
export function installAuthMiddleware(app: INestApplication): void {
  app.use(app.get(AuthMiddleware).handlers());
}

/**
 * Nest middleware (after body parsing) for the synchronizer token: a write that rides on a
 * session and that a cross-site page could forge (see {@link isForgeable}) must carry the
 * session's token as `X-CSRF-Token` or form field `_csrf`; a token that is presented must be
 * right in any case. `_csrf` is removed from the body. `POST /login` checks its token itself (to
 * answer with the form); Bearer-key requests have no session and are not concerned.
 */
@Injectable()
export class CsrfTokenMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (SAFE_METHODS.has(req.method) || !req.session) return next();
    const presented = takePresentedToken(req);
    if (normalisePath(new URL(req.originalUrl, 'http://x').pathname) === '/login') return next();
    const established = req.session.csrfToken !== undefined;
    if (!established) return next();
    if ((presented !== null || isForgeable(req)) && !hasValidCsrfToken(req)) throw csrfTokenError();
    next();
  }
}
