import type { INestApplication } from '@nestjs/common';
import type { Express, Request, Response } from 'express';
import { csrfTokenFor, existingCsrfToken } from '../auth/csrf.js';
import { SessionService } from '../auth/session.service.js';
import { VitrineError } from '../common/errors.js';

const MAX_FORM_BYTES = 8 * 1024;

/**
 * Piwigo's web login form, `identification.php`, for the scripts that drive it (capture-golden.sh,
 * `piwigo_remote`-style tools): GET starts a session (cookie) and redirects to Vitrine's `/login`
 * page; POST `username`, `password` logs in **only on that session** (Piwigo refuses a POST without
 * its cookie too), so a cross-site form cannot log a visitor in (SameSite=Lax keeps the cookie
 * off cross-site POSTs, and the auth chain's Origin check refuses them). Success: 302 to `/`;
 * the session is the web one (`vitrine_sid`), which ws.php reports as `connected_with = pwg_ui`.
 * Throttling, audit and the one failure answer are `SessionService.login`'s.
 */
export function installIdentificationRoute(app: INestApplication): void {
  const sessions = app.get(SessionService);
  const express = app.getHttpAdapter().getInstance() as Express;
  express.get('/identification.php', (req: Request, res: Response) => {
    csrfTokenFor(req); // starts (and saves) a session: the cookie the POST must come back with
    res.redirect(302, '/login');
  });
  express.post('/identification.php', (req: Request, res: Response) => {
    void handlePost(req, res, sessions);
  });
}

async function handlePost(req: Request, res: Response, sessions: SessionService): Promise<void> {
  try {
    if (!existingCsrfToken(req)) {
      res.status(403).type('text/plain').send('Cookies are blocked or not supported by your browser. You must enable cookies to connect.');
      return;
    }
    const form = new URLSearchParams((await readForm(req)).toString('utf8'));
    req.body = { username: form.get('username') ?? '', password: form.get('password') ?? '' };
    await sessions.login(req, 'form');
    res.redirect(302, '/');
  } catch (error) {
    if (error instanceof VitrineError && (error.kind === 'unauthenticated' || error.kind === 'rate_limited' || error.kind === 'invalid')) {
      res.redirect(302, '/login?error=1');
      return;
    }
    if (!res.headersSent) res.status(500).type('text/plain').send('Internal server error');
  }
}

function readForm(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        reject(new VitrineError('invalid', 'login.form_too_large', 'Form too large.'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
