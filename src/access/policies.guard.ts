import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { VitrineError } from '../common/errors.js';
import { AbilityFactory, type AppAbility } from './ability.factory.js';
import { POLICIES_KEY, PUBLIC_KEY, type PolicyHandler } from './policies.decorator.js';
import { GUEST, type Principal } from './principal.js';

/** The principal and abilities attached to each request. */
export interface AccessRequest extends Request {
  principal?: Principal;
  ability?: AppAbility;
}

/**
 * Global guard: `@Public()` routes pass; other routes must declare `@CheckPolicies(...)` and
 * pass all of them. Anonymous visitors who fail get 401, authenticated ones 403; a route that
 * declares nothing is refused (and caught by the route-enumeration test).
 */
@Injectable()
export class PoliciesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityFactory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AccessRequest>();
    const handlers = this.reflector.getAllAndOverride<PolicyHandler[]>(POLICIES_KEY, targets);
    if (!handlers?.length) throw new VitrineError('forbidden', 'access.no_policy', 'This route declares no access policy.');
    const principal = req.principal ?? GUEST;
    const ability = (req.ability ??= await this.abilities.forPrincipal(principal));
    if (handlers.every((h) => h(ability, req))) return true;
    if (principal.kind === 'guest') throw new VitrineError('unauthenticated', 'access.login_required', 'Log in to do this.');
    throw new VitrineError('forbidden', 'access.forbidden', 'You are not allowed to do this.');
  }
}
