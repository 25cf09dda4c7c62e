import { Injectable } from '@nestjs/common';
import type { LoginView } from '../themes/theme-page.types.js';

/**
 * Renders the login page. A minimal, dependency-free HTML form for now; the theme engine will
 * replace this one method (render the `login` page context with the same {@link LoginView}).
 */
@Injectable()
export class LoginPageRenderer {
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
