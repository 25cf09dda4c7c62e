import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

/**
 * Caching headers of the REST API's GET answers. Every answer depends on who asks (the
 * visibility filter), so shared caches must not keep it: `Cache-Control: private, no-cache` and
 * `Vary: Cookie, Authorization`. Validation is by ETag: Express computes a weak ETag (hash of the
 * JSON body) on `res.json` and answers 304 to a matching `If-None-Match` by itself.
 */
@Injectable()
export class ApiCacheInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const res = context.switchToHttp().getResponse<Response>();
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.setHeader('Cache-Control', 'private, no-cache');
        res.vary('Cookie').vary('Authorization');
      } else {
        res.setHeader('Cache-Control', 'no-store');
      }
    }
    return next.handle();
  }
}
