import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { AuditsItself } from '../audit/audit-writes.interceptor.js';
import { CheckPolicies } from '../access/policies.decorator.js';
import { parseId, parseInput } from '../common/validation.js';
import { API_KEY_SCOPES, ApiKeyService, type ApiKeySummary } from './api-key.service.js';
import { clientIp } from './auth.types.js';
import { principalOf } from './principal.resolver.js';

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length).optional(),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

/**
 * Personal API keys: `POST /api/v1/api-keys` (answers the secret once), `GET /api/v1/api-keys`
 * (own keys, no secrets), `DELETE /api/v1/api-keys/:id` (revoke; administrators may revoke any key).
 */
@AuditsItself()
@Controller('api/v1/api-keys')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeyService) {}

  /** `{ name, scopes?: ['read'] | ['read','write'] (default ['read']), expiresAt? }` → 201 `{ key, apiKey }`. */
  @Post()
  @CheckPolicies((ability) => ability.can('create', 'ApiKey'))
  async create(@Body() body: unknown, @Req() req: Request): Promise<{ key: string; apiKey: ApiKeySummary }> {
    const input = parseInput(createBody, body);
    return this.keys.create(
      { principal: principalOf(req), ip: clientIp(req) },
      { name: input.name, scopes: input.scopes, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null },
    );
  }

  @Get()
  @CheckPolicies((ability) => ability.can('read', 'ApiKey'))
  list(@Req() req: Request): Promise<ApiKeySummary[]> {
    const principal = principalOf(req);
    return principal.kind === 'user' ? this.keys.list(principal.userId) : Promise.resolve([]);
  }

  @Delete(':id')
  @CheckPolicies((ability) => ability.can('delete', 'ApiKey'))
  revoke(@Param('id') id: string, @Req() req: Request): Promise<ApiKeySummary> {
    return this.keys.revoke({ principal: principalOf(req), ip: clientIp(req) }, parseId(id, 'API key'));
  }
}
