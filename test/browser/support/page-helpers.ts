import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { VIEWPORTS, type ViewportName } from './chromium.js';
import type { PageGlobals } from './page-globals.js';

/** `test-artifacts/screenshots/` at the repository root (gitignored; CI keeps it as an artifact). */
export const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test-artifacts/screenshots');

/**
 * Logs in through the real `/login` form (CSRF token included by the page) and waits for the
 * redirect. Throws with the page's alert text when the login is refused.
 */
export async function login(page: Page, username: string, password: string, next = '/'): Promise<void> {
  await page.goto(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.click('form[action^="/login"] [type="submit"]'),
  ]);
  if (response.status() === 303) {
    await page.waitForURL((u) => u.pathname !== '/login');
    return;
  }
  await page.waitForLoadState();
  const alert = await page.locator('[role="alert"]').first().textContent({ timeout: 2_000 }).catch(() => null);
  throw new Error(`login as ${username} failed with HTTP ${response.status()}${alert ? `: ${alert.trim()}` : ''}`);
}

/**
 * Resizes the page to a named viewport and saves a full-page PNG as
 * `test-artifacts/screenshots/<name>-<viewport>.png`. Waits for fonts and visible images first.
 * Returns the file path.
 */
export async function screenshot(page: Page, name: string, viewport: ViewportName, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize(VIEWPORTS[viewport]);
  await settle(page);
  const path = join(SCREENSHOT_DIR, `${name}-${viewport}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

/**
 * Scrolls through the page once (so lazy images load, as they would for a visitor), back to the
 * top, then waits until the network is idle, web fonts are loaded and every image is decoded.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(async () => {
    const { document, window, innerHeight } = globalThis as unknown as PageGlobals;
    const pause = () => new Promise((resolve) => window.requestAnimationFrame(() => window.setTimeout(resolve, 30)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight * 0.8) {
      window.scrollTo(0, y);
      await pause();
    }
    window.scrollTo(0, 0);
    await pause();
  });
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(async () => {
    const { document } = globalThis as unknown as PageGlobals;
    await document.fonts?.ready;
    await Promise.all([...document.images].map((img: { complete: boolean; decode(): Promise<void> }) => (img.complete ? undefined : img.decode().catch(() => undefined))));
  });
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the site's CSP does not
 * block it) and returns the violations with impact `serious` or `critical`.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const injected = await page.evaluate(() => typeof (globalThis as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!injected) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { document } = globalThis as unknown as PageGlobals;
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Asserts axe-core finds no serious or critical violation; the failure lists rule, help and elements. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const found = await seriousA11yViolations(page);
  const report = found.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)).join('\n    ')}`).join('\n  ');
  expect(found, `axe-core on ${label} (${page.url()}):\n  ${report}`).toEqual([]);
}
