import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it (`apt-get install -y chromium`). Override with `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, reproducible headless Chromium in containers and CI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Named viewports used by tests and screenshots. */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1440, height: 900 },
  uhd: { width: 3840, height: 2160 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/**
 * One Chromium for a test file. A missing browser FAILS (never skips) with an install hint.
 * Each `newContext()` is a fresh profile-less context (own cookies and storage); the browser itself
 * runs on a new, empty user-data dir that `close()` removes.
 */
export interface BrowserHandle {
  newContext(options?: BrowserContextOptions & { viewportName?: ViewportName }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<BrowserHandle> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the browser tests need it. Install it with ` +
        '`apt-get install -y chromium` (Debian) or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'vitrine-chromium-'));
  // launchPersistentContext is the only way to choose the user-data dir; extra contexts come from its browser.
  const persistent = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const browser = persistent.browser();
  const contexts: BrowserContext[] = [];
  return {
    async newContext(options = {}) {
      const { viewportName, ...rest } = options;
      const viewport = viewportName ? VIEWPORTS[viewportName] : rest.viewport ?? VIEWPORTS.desktop;
      if (!browser) throw new Error('Chromium started without a browser handle');
      const context = await browser.newContext({ ...rest, viewport });
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await persistent.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
