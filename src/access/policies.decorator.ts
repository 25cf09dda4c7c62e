import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AppAbility } from './ability.factory.js';

/** A rule a request must pass: gets the request's abilities and the request itself. */
export type PolicyHandler = (ability: AppAbility, req: Request) => boolean;

export const POLICIES_KEY = 'vitrine:policies';
export const PUBLIC_KEY = 'vitrine:public';

/**
 * Declares the policies a route needs; all must pass. Every route declares either this or
 * {@link Public} — a test enumerates the routes and fails on any that declares neither.
 *
 * @example `@CheckPolicies((ability) => ability.can('update', 'Album'))`
 */
export const CheckPolicies = (...handlers: PolicyHandler[]) => SetMetadata(POLICIES_KEY, handlers);

/**
 * Marks a route as open to everyone. Content it returns must still be filtered by the visibility
 * service: `@Public()` only means no CASL policy applies.
 */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
