import type { INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { POLICIES_KEY, PUBLIC_KEY } from './policies.decorator.js';

const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';

/** Lists `Controller.method` of every HTTP route that declares neither `@Public()` nor `@CheckPolicies()`. */
export function routesWithoutPolicy(app: INestApplication): string[] {
  const discovery = app.get(DiscoveryService);
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const missing: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const targets = [handler, instance.constructor];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
      const policies = reflector.getAllAndOverride<unknown[]>(POLICIES_KEY, targets);
      if (!isPublic && !policies?.length) missing.push(`${instance.constructor.name}.${name}`);
    }
  }
  return missing;
}
