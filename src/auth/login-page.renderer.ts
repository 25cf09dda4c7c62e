import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { LoginView } from '../themes/theme-page.types.js';

/** CSP of the built-in login document: no scripts, no styles, nothing but the form. */
export const BUILTIN_LOGIN_CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A renderer that draws the login page with the active theme (plugged in by the site module). */
export interface ThemedLoginRenderer {
  render(req: Request, view: LoginView, csrfToken: string): Promise<string>;
  /** The CSP the themed page needs (its stylesheets and scripts). */
  readonly contentSecurityPolicy: string;
}

/**
 * Renders the login page: with the active theme's `login` template once the site module has
 * plugged it in ({@link useThemed}), else — or when the theme fails — a minimal, dependency-free
 * built-in HTML form.
 */
@Injectable()
export class LoginPageRenderer {
  private themed: ThemedLoginRenderer | undefined;

  /** Called once by the site module at start. */
  useThemed(renderer: ThemedLoginRenderer): void {
    this.themed = renderer;
  }

  /** The page for this request and the CSP to send with it. */
  async page(req: Request, view: LoginView, csrfToken: string): Promise<{ html: string; csp: string }> {
    if (this.themed) {
      try {
        return { html: await this.themed.render(req, view, csrfToken), csp: this.themed.contentSecurityPolicy };
      } catch {
        // The themed renderer logs its own failure; the built-in form keeps login possible.
      }
    }
    return { html: this.render(view, csrfToken), csp: BUILTIN_LOGIN_CSP };
  }

  /** The built-in document. */
  render(view: LoginView, csrfToken: string): string {
    const e = escapeHtml;
    return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Log in</title></head>
<body>
<main>
<h1>Log in</h1>
${view.error ? `<p role="alert">${e(view.error)}</p>` : ''}
<form method="post" action="${e(view.action)}">
<input type="hidden" name="_csrf" value="${e(csrfToken)}">
<input type="hidden" name="returnTo" value="${e(view.returnTo)}">
<p><label for="login-username">User name or e-mail</label><br>
<input id="login-username" name="username" autocomplete="username" required maxlength="254" value="${e(view.username)}"></p>
<p><label for="login-password">Password</label><br>
<input id="login-password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Log in</button></p>
</form>
</main>
</body>
</html>
`;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
