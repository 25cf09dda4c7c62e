/** The hook contract: what plugins import to subscribe to and fire hooks. */
export * from './hook-payloads.js';
export type * from './hook-map.js';
export { HOOK_CATALOGUE, renderHookCatalogue, type HookCatalogueEntry } from './hook-catalogue.js';
export { HookRejection, HookHandlerError, UnknownHookError } from './hook.errors.js';
export {
  HookRegistry,
  DEFAULT_HOOK_PRIORITY,
  CORE_OWNER,
  type HookLogger,
  type HookSubscribeOptions,
  type SubscriptionInfo,
  type Unsubscribe,
  type DeclaredHook,
} from './hook.registry.js';
export { AfterCommitQueue, withAfterCommit, type TransactionRunner } from './hook-after-commit.js';
