/**
 * Typings for code that runs INSIDE the page (`page.evaluate` callbacks). The project compiles
 * without `lib.dom` on purpose (DOM globals would hide mistakes in server code), so callbacks start
 * with `const { document } = globalThis as unknown as PageGlobals;`. Types only: callbacks are
 * serialised into the page and must not reference module values.
 */
export interface PageGlobals {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  document: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  window: any;
  innerHeight: number;
  innerWidth: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  getComputedStyle(element: any): Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fetch(url: string, init?: any): Promise<{ status: number; json(): Promise<any>; text(): Promise<string> }>;
}
