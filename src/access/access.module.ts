import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { AuditWritesInterceptor } from '../audit/audit-writes.interceptor.js';
import { AbilityFactory } from './ability.factory.js';
import { GrantController } from './grant.controller.js';
import { GrantService } from './grant.service.js';
import { AppSecretService } from '../settings/app-secret.service.js';
import { ShareLinkController } from './share-link.controller.js';
import { ShareCookiePrincipalResolver } from './share-cookie.resolver.js';
import { PoliciesGuard } from './policies.guard.js';
import { ShareLinkService } from './share-link.service.js';
import { VisibilityService } from './visibility.service.js';

/** Permissions: abilities, the global policies guard, the visibility filter, grants, share links. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [GrantController, ShareLinkController],
  providers: [AppSecretService, ShareCookiePrincipalResolver, AbilityFactory, VisibilityService, GrantService, ShareLinkService, { provide: APP_GUARD, useClass: PoliciesGuard }, { provide: APP_INTERCEPTOR, useClass: AuditWritesInterceptor }],
  exports: [AppSecretService, AbilityFactory, VisibilityService, GrantService, ShareLinkService],
})
export class AccessModule {}
