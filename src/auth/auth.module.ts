import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ApiKeyController } from './api-key.controller.js';
import { ApiKeyService } from './api-key.service.js';
import { AuthMiddleware, CsrfTokenMiddleware } from './auth.middleware.js';
import { AuthPassport } from './auth.passport.js';
import { AUTH_SETTINGS, authSettingsFromEnv } from './auth.settings.js';
import { CredentialService } from './credential.service.js';
import { LoginController } from './login.controller.js';
import { LoginPageRenderer } from './login-page.renderer.js';
import { ApiKeyPrincipalResolver, PrincipalResolverRegistry, SessionPrincipalResolver } from './principal.resolver.js';
import { SessionController } from './session.controller.js';
import { SessionService } from './session.service.js';
import { SessionPrincipalReader } from './session-principal.reader.js';

/**
 * Authentication: sessions (login form and JSON API), API keys, CSRF, login throttling, and the
 * per-request principal. The express-level chain is installed by `installAuthMiddleware(app)` in
 * `createApp`; the CSRF token check runs as Nest middleware, after body parsing.
 */
@Global()
@Module({
  controllers: [SessionController, LoginController, ApiKeyController],
  providers: [
    { provide: AUTH_SETTINGS, useFactory: () => authSettingsFromEnv(process.env) },
    CredentialService,
    AuthPassport,
    SessionService,
    ApiKeyService,
    ApiKeyPrincipalResolver,
    SessionPrincipalResolver,
    PrincipalResolverRegistry,
    AuthMiddleware,
    SessionPrincipalReader,
    LoginPageRenderer,
  ],
  exports: [AUTH_SETTINGS, CredentialService, SessionService, ApiKeyService, PrincipalResolverRegistry, SessionPrincipalReader, LoginPageRenderer],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsrfTokenMiddleware).forRoutes('*');
  }
}
