import { strnatcmp } from './php/php-natural.comparator.js';
import type {
  WsInvokeGuard,
  WsMethod,
  WsMethodDefinition,
  WsMethodLookup,
  WsParamSpec,
  WsParamSpecs,
  WsParamType,
} from './ws-method.types.js';

const PARAM_TYPES: readonly WsParamType[] = ['mixed', 'bool', 'int', 'int_positive', 'id', 'float', 'float_positive', 'float_positive_notnull'];
const METHOD_NAME = /^[^\s.]+(?:\.[^\s.]+)+$/;

/** Identity function that infers the handler's param types from the specs. */
export function defineWsMethod<const P extends WsParamSpecs>(definition: WsMethodDefinition<P>): WsMethodDefinition<P> {
  return definition;
}

/**
 * The table of ws.php methods (Piwigo's `PwgServer::_methods`). Core registers its methods at
 * boot; plugins register theirs the same way (Piwigo's `ws_add_methods` event) and may add
 * `ws_invoke_allowed` guards. Registration is validated eagerly so mistakes fail at boot.
 */
export class WsMethodRegistry implements WsMethodLookup {
  private readonly methods = new Map<string, WsMethod>();
  private sorted: WsMethod[] | undefined;
  private readonly guards: WsInvokeGuard[] = [];

  /**
   * Registers a method.
   * @throws Error on an invalid definition, or when the name is taken (naming both owners) and
   *   the definition does not say `override: true`.
   */
  register<const P extends WsParamSpecs>(definition: WsMethodDefinition<P>): this {
    const method = normalise(definition as unknown as WsMethodDefinition);
    const existing = this.methods.get(method.name);
    if (existing && !definition.override) {
      throw new Error(
        `ws.php method "${method.name}" from "${method.owner}" is already registered by "${existing.owner}"` +
          ' (pass override: true to replace it on purpose)',
      );
    }
    this.methods.set(method.name, method);
    this.sorted = undefined;
    return this;
  }

  /** Registers several methods (same rules as {@link register}). */
  registerAll(definitions: ReadonlyArray<WsMethodDefinition<any>>): this {
    for (const definition of definitions) this.register(definition);
    return this;
  }

  /** Removes a method (a plugin being deactivated). */
  unregister(name: string): boolean {
    this.sorted = undefined;
    return this.methods.delete(name);
  }

  get(name: string): WsMethod | undefined {
    return this.methods.get(name);
  }

  has(name: string): boolean {
    return this.methods.has(name);
  }

  list(options: { includeHidden?: boolean } = {}): readonly WsMethod[] {
    this.sorted ??= [...this.methods.values()].sort((a, b) => strnatcmp(a.name, b.name));
    return options.includeHidden ? this.sorted : this.sorted.filter((m) => !m.hidden);
  }

  /** Adds a `ws_invoke_allowed` guard (run in registration order, after the core guest check). */
  addInvokeGuard(guard: WsInvokeGuard): this {
    this.guards.push(guard);
    return this;
  }

  get invokeGuards(): readonly WsInvokeGuard[] {
    return this.guards;
  }
}

function normalise(definition: WsMethodDefinition): WsMethod {
  const owner = definition.owner ?? 'core';
  const where = `ws.php method "${definition.name}" from "${owner}"`;
  if (typeof definition.name !== 'string' || !METHOD_NAME.test(definition.name)) {
    throw new Error(`${where}: a method name is dotted words without spaces, e.g. pwg.categories.getList`);
  }
  if (typeof definition.handler !== 'function') throw new Error(`${where}: handler must be a function`);
  const params = Object.entries(definition.params ?? {}).map(([name, spec]) => {
    checkSpec(`${where}, param "${name}"`, name, spec);
    return [name, Object.freeze({ ...spec })] as const;
  });
  return Object.freeze({
    name: definition.name,
    description: definition.description ?? '',
    params: Object.freeze(params),
    adminOnly: definition.adminOnly ?? false,
    postOnly: definition.postOnly ?? false,
    apiKeyForbidden: definition.apiKeyForbidden ?? false,
    hidden: definition.hidden ?? false,
    owner,
    handler: definition.handler.bind(definition) as WsMethod['handler'],
  });
}

function checkSpec(where: string, name: string, spec: WsParamSpec): void {
  if (name === '' || name === 'method' || name === 'format') {
    throw new Error(`${where}: "${name}" cannot be a parameter name (ws.php consumes it)`);
  }
  const type = spec.type ?? 'mixed';
  if (!PARAM_TYPES.includes(type)) throw new Error(`${where}: unknown type "${String(type)}"`);
  if (spec.array !== undefined && spec.array !== 'accept' && spec.array !== 'force') {
    throw new Error(`${where}: array must be "accept" or "force"`);
  }
  if (spec.maxValue !== undefined) {
    if (spec.array) throw new Error(`${where}: maxValue applies to scalar params only`);
    if (type === 'mixed' || type === 'bool') throw new Error(`${where}: maxValue needs a numeric type`);
  }
  if (spec.enumError !== undefined && !spec.enum?.length) throw new Error(`${where}: enumError needs enum values`);
  if (spec.optional === false && 'default' in spec) throw new Error(`${where}: a param with a default is optional`);
}
