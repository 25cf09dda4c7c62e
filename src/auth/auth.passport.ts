import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import passport from 'passport';
import passportLocal from 'passport-local';
import { AUTH_SETTINGS, type AuthSettings } from './auth.settings.js';
import { clientIp, type AuthUser } from './auth.types.js';
import { CredentialService, invalidCredentials } from './credential.service.js';

/**
 * This application's passport instance (not the process-wide singleton, so several apps — tests —
 * never share strategies): the `local` strategy (user name or e-mail + password, checked by
 * {@link CredentialService}) and the session serializer, which stores the user id under
 * `sess.passport.user` together with the login time and a fresh CSRF token, in the session that
 * `req.logIn` has just regenerated.
 */
@Injectable()
export class AuthPassport {
  readonly authenticator = new passport.Authenticator();

  constructor(
    credentials: CredentialService,
    @Inject(AUTH_SETTINGS) settings: AuthSettings,
  ) {
    this.authenticator.use(
      'local',
      new passportLocal.Strategy({ usernameField: 'username', passwordField: 'password', passReqToCallback: true, session: false }, (req, username, password, done) => {
        credentials.verify(username, password, clientIp(req)).then(
          (user) => done(null, user),
          (error: unknown) => done(error),
        );
      }),
    );
    this.authenticator.serializeUser((req: Request, user: Express.User, done: (err: unknown, id?: number) => void) => {
      req.session.authAt = settings.now();
      req.session.csrfToken = randomBytes(32).toString('base64url');
      done(null, (user as AuthUser).id);
    });
  }

  /** `passport.initialize()` for this instance (adds `req.logIn`). */
  initialize(): RequestHandler {
    return this.authenticator.initialize();
  }

  /** Runs the local strategy on the (already validated) body; no session is touched. */
  authenticateLocal(req: Request, res: Response): Promise<AuthUser> {
    return new Promise((resolve, reject) => {
      const handler = this.authenticator.authenticate('local', { session: false }, (err: unknown, user: AuthUser | false) => {
        if (err) reject(err);
        else if (!user) reject(invalidCredentials());
        else resolve(user);
      }) as RequestHandler;
      handler(req, res, (err?: unknown) => reject(err ?? invalidCredentials()));
    });
  }

  /** Starts the login session: regenerates the session id (fixation defence) and saves it. */
  logIn(req: Request, user: AuthUser): Promise<void> {
    return new Promise((resolve, reject) => req.logIn(user, { session: true, keepSessionInfo: false }, (err?: unknown) => (err ? reject(err) : resolve())));
  }
}
