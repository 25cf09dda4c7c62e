import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { launchChromium, type BrowserHandle, type ViewportName } from './chromium.js';

/** Timeouts for browser test files (Chromium start, image derivatives on first view). */
export const BROWSER_TEST_TIMEOUT_MS = 120_000;
export const BROWSER_HOOK_TIMEOUT_MS = 240_000;

export interface BrowserSite {
  /** `http://127.0.0.1:<port>` — also the app's PUBLIC_URL, so Origin/CSRF checks pass. */
  readonly baseUrl: string;
  readonly app: TestApp;
  readonly browser: BrowserHandle;
  /** Absolute URL of a site path. */
  url(path: string): string;
  /** A page in a NEW context (own cookies): anonymous unless you log in. */
  newPage(options?: { viewportName?: ViewportName; colorScheme?: 'light' | 'dark'; javaScriptEnabled?: boolean }): Promise<Page>;
}

export interface BrowserSiteOptions {
  /** Extra environment for `loadConfig` (PORT and PUBLIC_URL are set by the harness). */
  env?: Record<string, string>;
  /** Seeds data after the app is listening (services via `t.app.get(...)`, or REST on `baseUrl`). */
  seed?: (t: TestApp, baseUrl: string) => Promise<void>;
}

/**
 * Registers `beforeAll`/`afterAll` for one browser test file: the whole app in-process
 * (`createTestApp`, on this run's test database — PGlite or Postgres) listening on an ephemeral
 * port, the optional seed, and ONE Chromium for the file. Also raises the file's timeouts.
 * Call it at the top level of a test file; read the fields inside tests (they are set in beforeAll).
 */
export function useBrowserSite(options: BrowserSiteOptions = {}): BrowserSite {
  vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT_MS, hookTimeout: BROWSER_HOOK_TIMEOUT_MS });
  let app: TestApp | undefined;
  let browser: BrowserHandle | undefined;
  let baseUrl = '';
  const site: BrowserSite = {
    get baseUrl() {
      return baseUrl;
    },
    get app() {
      if (!app) throw new Error('useBrowserSite: the app is not started (read it inside a test or hook)');
      return app;
    },
    get browser() {
      if (!browser) throw new Error('useBrowserSite: Chromium is not started (read it inside a test or hook)');
      return browser;
    },
    url: (path) => new URL(path, baseUrl).toString(),
    async newPage(o = {}) {
      const context = await site.browser.newContext({
        viewportName: o.viewportName ?? 'desktop',
        colorScheme: o.colorScheme ?? 'light',
        javaScriptEnabled: o.javaScriptEnabled ?? true,
        baseURL: baseUrl,
      });
      return context.newPage();
    },
  };

  beforeAll(async () => {
    // Chromium first: a missing browser fails the file at once, before any database work.
    browser = await launchChromium();
    process.env.VITRINE_JOBS_POLL = 'off'; // seeds drain the job queue themselves
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = await createTestApp({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl, ...options.env });
    await app.app.listen(port, '127.0.0.1');
    await options.seed?.(app, baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  return site;
}

/** An unused TCP port on 127.0.0.1 (tiny race window between close and listen; fine for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
