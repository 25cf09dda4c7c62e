/**
 * Everything a plugin imports, from one place:
 *
 * ```ts
 * import { definePlugin, HookRejection, z } from '../../../src/plugins/index.js';
 * ```
 * `z` is re-exported so that plugins use the same zod as core.
 */
export { z } from 'zod';
export { definePlugin, type AnyPluginDefinition, type NoOptions, type PluginDefinition } from './plugin.types.js';
export type * from './plugin-contributions.js';
export type * from './plugin-facades.js';
export { PLUGIN_CONTEXT, type DynamicContributions, type PluginContext, type PluginHooks, type PluginInfo, type PluginLogger, type PluginRegisterContext, type PluginRegistryView } from './plugin-context.js';
export { HookRejection } from '../hooks/hook.errors.js';
export type * from '../hooks/hook-payloads.js';
export type { HookMap, HookName, HookHandler, HookArgs, HookValue } from '../hooks/hook-map.js';
/** Route policies for plugin controllers: every route declares `@CheckPolicies(...)` or `@Public()`. */
export { CheckPolicies, Public } from '../access/policies.decorator.js';
/** Who sent a request (for `ctx.services` calls in controllers). */
export { requestActor } from '../plugin-host/plugin-actor.js';
export { VitrineError } from '../common/errors.js';
