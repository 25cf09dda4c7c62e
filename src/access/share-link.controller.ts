import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { idList, parseId, parseInput } from '../common/validation.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { AppSecretService } from '../settings/app-secret.service.js';
import type { AccessRequest } from './policies.guard.js';
import { CheckPolicies, Public } from './policies.decorator.js';
import { SHARE_COOKIE, SHARE_COOKIE_MAX_AGE_MS, signShareCookie } from './share-cookie.js';
import { ShareLinkService, type ShareLinkSummary } from './share-link.service.js';
import { isoDate } from '../common/view.schema.js';
import { ApiDoc } from '../api/api-schema.decorator.js';
import { queryId } from '../api/api-input.js';
import { ApiTags } from '@nestjs/swagger';

const createBody = z
  .strictObject({
    albumId: z.number().int().positive().optional(),
    includeSubalbums: z.boolean().optional(),
    photoIds: idList.min(1).optional(),
    label: z.string().max(200).optional(),
    password: z.string().min(4).max(200).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    allowDownload: z.boolean().optional(),
  })
  .refine((b) => (b.albumId === undefined) !== (b.photoIds === undefined), { message: 'give either albumId or photoIds' });
const openBody = z.strictObject({ token: z.string().min(1).max(200), password: z.string().max(200).optional() });
/** A ShareLinkSummary as JSON (dates as ISO-8601). */
const shareLinkSummarySchema = z.object({
  id: z.number().int(),
  label: z.string().nullable(),
  albumId: z.number().int().nullable(),
  includeSubalbums: z.boolean(),
  photoCount: z.number().int(),
  hasPassword: z.boolean(),
  expiresAt: isoDate,
  allowDownload: z.boolean(),
  revokedAt: isoDate,
  lastUsedAt: isoDate,
  createdAt: z.iso.datetime(),
});
const listQuery = z.strictObject({ albumId: queryId.optional() });
const canManage = CheckPolicies((ability) => ability.can('manage', 'ShareLink'));

/** Share links: create, list, revoke (`/api/v1/share-links`), and open one (`POST …/open`). */
@ApiTags('share links')
@Controller('api/v1/share-links')
export class ShareLinkController {
  constructor(
    private readonly shares: ShareLinkService,
    private readonly secrets: AppSecretService,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  /** Creates a link; the answer holds the token and URL once. */
  @Post()
  @canManage
  @ApiDoc({ summary: 'Create a share link for an album or photos (the token and URL are answered once)', body: createBody, response: z.object({ token: z.string(), url: z.string(), link: shareLinkSummarySchema }) })
  async create(@Body() body: unknown, @Req() req: AccessRequest) {
    const input = parseInput(createBody, body);
    const createdBy = req.principal?.kind === 'user' ? req.principal.userId : null;
    const { token, link } = await this.shares.create({ ...input, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null, createdBy });
    return { token, url: `${this.config.publicUrl}/s/${token}`, link };
  }

  @Get()
  @canManage
  @ApiDoc({ summary: 'Share links, newest first (optionally of one album)', query: listQuery, response: z.array(shareLinkSummarySchema) })
  list(@Query() query: unknown): Promise<ShareLinkSummary[]> {
    const { albumId } = parseInput(listQuery, query, 'query string');
    return this.shares.list(albumId === undefined ? {} : { albumId });
  }

  @Get(':id')
  @canManage
  @ApiDoc({ summary: 'One share link', response: shareLinkSummarySchema })
  get(@Param('id') id: string): Promise<ShareLinkSummary> {
    return this.shares.get(parseId(id, 'share link'));
  }

  /** Revokes the link: every page, API call and image URL it reached stops working at once. */
  @Delete(':id')
  @canManage
  @ApiDoc({ summary: 'Revoke a share link: its pages, API answers and image URLs stop at once', response: shareLinkSummarySchema })
  revoke(@Param('id') id: string): Promise<ShareLinkSummary> {
    return this.shares.revoke(parseId(id, 'share link'));
  }

  /**
   * Checks a token (and password) and sets the share cookie, so that this browser sees what the
   * link covers, in pages, API and image URLs. Public: the token is the credential.
   */
  @Post('open')
  @HttpCode(200)
  @Public()
  @ApiDoc({ summary: 'Open a share link (token, password): sets the share cookie', body: openBody, response: z.object({ shareLinkId: z.number().int(), allowDownload: z.boolean() }) })
  async open(@Body() body: unknown, @Res({ passthrough: true }) res: Response, @Req() req: Request) {
    const { token, password } = parseInput(openBody, body);
    const principal = await this.shares.open(token, password);
    if (principal.kind !== 'share') throw new Error('unreachable');
    res.cookie(SHARE_COOKIE, signShareCookie(principal.shareLinkId, await this.secrets.get()), {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.secureCookies || req.secure,
      maxAge: SHARE_COOKIE_MAX_AGE_MS,
      path: '/',
    });
    return { shareLinkId: principal.shareLinkId, allowDownload: principal.allowDownload };
  }
}
