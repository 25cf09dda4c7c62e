import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { AuditsItself } from '../audit/audit-writes.interceptor.js';
import { CheckPolicies } from '../access/policies.decorator.js';
import { parseId, parseInput } from '../common/validation.js';
import { API_KEY_SCOPES, ApiKeyService, type ApiKeySummary } from './api-key.service.js';
import { clientIp } from './auth.types.js';
import { principalOf } from './principal.resolver.js';
import { ApiDoc } from '../api/api-schema.decorator.js';
import { isoDate } from '../common/view.schema.js';
import { ApiTags } from '@nestjs/swagger';

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length).optional(),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

const apiKeySummary = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  keyPrefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  status: z.enum(['active', 'expired', 'revoked']),
  expiresAt: isoDate,
  revokedAt: isoDate,
  lastUsedAt: isoDate,
  createdAt: z.iso.datetime(),
});

/**
 * Personal API keys: `POST /api/v1/api-keys` (answers the secret once), `GET /api/v1/api-keys`
 * (own keys, no secrets), `DELETE /api/v1/api-keys/:id` (revoke; administrators may revoke any key).
 */
@ApiTags('api keys')
@AuditsItself()
@Controller('api/v1/api-keys')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeyService) {}

  /** `{ name, scopes?: ['read'] | ['read','write'] (default ['read']), expiresAt? }` → 201 `{ key, apiKey }`. */
  @Post()
  @CheckPolicies((ability) => ability.can('create', 'ApiKey'))
  @ApiDoc({ summary: 'Create a personal API key (the secret is answered once)', body: createBody, response: z.object({ key: z.string(), apiKey: apiKeySummary }) })
  async create(@Body() body: unknown, @Req() req: Request): Promise<{ key: string; apiKey: ApiKeySummary }> {
    const input = parseInput(createBody, body);
    return this.keys.create(
      { principal: principalOf(req), ip: clientIp(req) },
      { name: input.name, scopes: input.scopes, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null },
    );
  }

  @Get()
  @CheckPolicies((ability) => ability.can('read', 'ApiKey'))
  @ApiDoc({ summary: 'Own API keys (no secrets)', response: z.array(apiKeySummary) })
  list(@Req() req: Request): Promise<ApiKeySummary[]> {
    const principal = principalOf(req);
    return principal.kind === 'user' ? this.keys.list(principal.userId) : Promise.resolve([]);
  }

  @Delete(':id')
  @CheckPolicies((ability) => ability.can('delete', 'ApiKey'))
  @ApiDoc({ summary: 'Revoke an API key (administrators: any key)', response: apiKeySummary })
  revoke(@Param('id') id: string, @Req() req: Request): Promise<ApiKeySummary> {
    return this.keys.revoke({ principal: principalOf(req), ip: clientIp(req) }, parseId(id, 'API key'));
  }
}
