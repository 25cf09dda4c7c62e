import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { VitrineError } from '../common/errors.js';
import { API_TAKES_QUERY } from './api-schema.decorator.js';

/**
 * Applied to every REST controller. (1) A route whose `@ApiDoc` declares no query schema refuses
 * any query parameter (400, like an unknown body field), so every query is validated. (2) Caching headers
 * of GET answers. Every answer depends on who asks (the visibility filter), so shared caches must not keep it: `Cache-Control: private, no-cache` and
 * `Vary: Cookie, Authorization`. Validation is by ETag: Express computes a weak ETag (hash of the
 * JSON body) on `res.json` and answers 304 to a matching `If-None-Match` by itself.
 */
@Injectable()
export class ApiCacheInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const res = context.switchToHttp().getResponse<Response>();
      const keys = Object.keys(req.query ?? {}).map((k) => k.slice(0, 40));
      if (keys.length && this.reflector.get<boolean>(API_TAKES_QUERY, context.getHandler()) === false) {
        throw new VitrineError('invalid', 'validation.failed', `The query string is not valid: unknown parameter(s) ${keys.slice(0, 10).join(', ')}.`, [
          { path: '(root)', message: `unknown field(s): ${keys.slice(0, 10).join(', ')}` },
        ]);
      }
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
