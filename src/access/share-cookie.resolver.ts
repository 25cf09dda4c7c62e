import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { PrincipalResolverRegistry, type PrincipalResolver } from '../auth/principal.resolver.js';
import { readCookie } from '../common/cookies.js';
import { AppSecretService } from '../settings/app-secret.service.js';
import type { Principal } from './principal.js';
import { SHARE_COOKIE, verifyShareCookie } from './share-cookie.js';
import { sharePrincipalFor } from './share-link.service.js';

/**
 * A visitor who opened a share link (signed `vitrine_share` cookie) becomes that link's
 * principal on every route: pages, API and image URLs. It runs after the API-key and session
 * resolvers, so a logged-in user keeps their own rights. A revoked or expired link answers
 * null (the visitor is a guest again) on the very next request.
 */
@Injectable()
export class ShareCookiePrincipalResolver implements PrincipalResolver, OnModuleInit {
  readonly name = 'share-cookie';

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: AppSecretService,
    private readonly registry: PrincipalResolverRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.add(this);
  }

  async resolve(req: Request): Promise<Principal | null> {
    const raw = readCookie(req, SHARE_COOKIE);
    if (!raw) return null;
    const linkId = verifyShareCookie(raw, await this.secrets.get());
    return linkId === null ? null : sharePrincipalFor(this.dataSource, linkId);
  }
}
