import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';

/**
 * Content-Security-Policy of every site page. `style-src 'unsafe-inline'` is needed by themes'
 * inline custom properties (grid sizing, blur placeholders); scripts are external files only.
 */
export const SITE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Sets the security headers of an HTML site page. */
export function applySiteHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', SITE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/** Puts {@link applySiteHeaders} on every response of the controller it decorates. */
@Injectable()
export class SiteHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') applySiteHeaders(context.switchToHttp().getResponse<Response>());
    return next.handle();
  }
}
