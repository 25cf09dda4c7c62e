import Handlebars from 'handlebars';
import type { BuiltinPage } from './template.resolver.js';
import type { ErrorView, SiteView } from './theme-view.types.js';

/**
 * Page bodies Vitrine renders inside the theme's layout when the theme lacks the template, so a
 * theme can never lock visitors out of logging in, opening a share link, or reading an error.
 * They use core helpers only and plain class names (`vitrine-builtin`).
 */
export const BUILTIN_TEMPLATES: Record<BuiltinPage, string> = {
  error: `<section class="vitrine-builtin vitrine-error">
  <h1>{{t error.title}}</h1>
  <p>{{error.message}}</p>
  <p><a href="{{url}}">{{t "Back to the home page"}}</a></p>
</section>`,
  login: `<section class="vitrine-builtin vitrine-login">
  <h1>{{t "Log in"}}</h1>
  {{#if login.error}}<p role="alert">{{login.error}}</p>{{/if}}
  <form method="post" action="{{login.action}}">
    <input type="hidden" name="_csrf" value="{{@site.csrfToken}}">
    <input type="hidden" name="returnTo" value="{{login.returnTo}}">
    <p><label for="login-username">{{t "Username"}}</label><br>
      <input id="login-username" name="username" autocomplete="username" required value="{{login.username}}"></p>
    <p><label for="login-password">{{t "Password"}}</label><br>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required></p>
    <p><button type="submit">{{t "Log in"}}</button></p>
  </form>
</section>`,
  share: `<section class="vitrine-builtin vitrine-share">
  <h1>{{share.title}}</h1>
  {{#if share.message}}<p>{{share.message}}</p>{{/if}}
  {{#if share.locked}}
    {{#with share.passwordForm}}
    <form method="post" action="{{action}}">
      <input type="hidden" name="_csrf" value="{{@site.csrfToken}}">
      {{#if error}}<p role="alert">{{error}}</p>{{/if}}
      <p><label for="share-password">{{t "Password"}}</label><br>
        <input id="share-password" name="password" type="password" autocomplete="off" required></p>
      <p><button type="submit">{{t "Open"}}</button></p>
    </form>
    {{/with}}
  {{else}}
    {{#with share.album}}
    <ul>
      {{#foreach photos}}<li><a href="{{url}}"><img src="{{img_url this "thumb"}}" alt="{{alt}}" width="{{sizes.thumb.width}}" height="{{sizes.thumb.height}}" loading="lazy"></a></li>{{/foreach}}
    </ul>
    {{pagination}}
    {{/with}}
    {{#if share.downloadAllUrl}}<p><a href="{{share.downloadAllUrl}}" download>{{t "Download all"}}</a></p>{{/if}}
  {{/if}}
</section>`,
};

const e = (s: unknown) => Handlebars.Utils.escapeExpression(s == null ? '' : String(s));

/**
 * A complete, dependency-free error document: the last resort when the theme itself fails to
 * render (broken layout, throwing helper). Everything is escaped.
 */
export function fallbackErrorDocument(error: ErrorView, site?: Pick<SiteView, 'title' | 'locale' | 'urls'>): string {
  const home = site?.urls.home && site.urls.home.startsWith('/') && !site.urls.home.startsWith('//') ? site.urls.home : '/';
  return `<!doctype html>
<html lang="${e(site?.locale ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(error.title)}${site ? ` · ${e(site.title)}` : ''}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 2rem; }
  main { max-width: 32rem; } h1 { font-size: 2rem; margin: 0 0 .5rem; } a { color: inherit; }
</style>
</head>
<body>
<main>
  <p>${e(error.status)}</p>
  <h1>${e(error.title)}</h1>
  <p>${e(error.message)}</p>
  <p><a href="${e(home)}">Back to the home page</a></p>
</main>
</body>
</html>
`;
}
