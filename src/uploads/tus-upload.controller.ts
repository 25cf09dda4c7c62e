import { subject } from '@casl/ability';
import { Controller, Delete, Get, Head, Inject, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CheckPolicies } from '../access/policies.decorator.js';
import type { AccessRequest } from '../access/policies.guard.js';
import { GUEST } from '../access/principal.js';
import { bearerToken } from '../auth/auth.types.js';
import { csrfTokenError, hasValidCsrfToken } from '../auth/csrf.js';
import { VitrineError } from '../common/errors.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../config/config.js';
import { MediaErrors } from '../media/media.errors.js';
import { PhotoIngestService } from '../photos/photo-ingest.service.js';
import { parseTusMetadata } from './tus-metadata.js';
import { TusUploadService, type TusRequestContext, type TusUploadStatus } from './tus-upload.service.js';

const notFound = () => new VitrineError('not_found', 'upload.not_found', 'This upload does not exist.');

/**
 * Resumable uploads (tus 1.0: core, creation, creation-with-upload, termination, expiration) at
 * `/api/v1/uploads/tus`. Same policy as `POST /api/v1/photos` (`create Photo`, `upload` on each
 * target album); cookie sessions send `X-CSRF-Token` on POST, PATCH and DELETE. An upload is
 * visible to its creator only. See src/uploads/README.md for the protocol as clients use it.
 */
@ApiTags('uploads')
@Controller('api/v1/uploads/tus')
export class TusUploadController {
  constructor(
    private readonly uploads: TusUploadService,
    private readonly ingest: PhotoIngestService,
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a resumable (tus) upload; Upload-Metadata carries albumIds, title, description, tags, filename' })
  @CheckPolicies((ability) => ability.can('create', 'Photo'))
  async create(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    checkCsrf(req);
    const deferred = req.headers['upload-defer-length'] !== undefined;
    const lengthHeader = req.headers['upload-length'];
    if (deferred || typeof lengthHeader !== 'string' || !/^\d{1,15}$/.test(lengthHeader)) {
      throw new VitrineError('invalid', 'upload.length_required', 'Send the file size in Upload-Length (deferred lengths are not accepted).', [
        { path: 'Upload-Length', message: 'required, a whole number of bytes' },
      ]);
    }
    const length = Number(lengthHeader);
    if (length > this.config.maxUploadBytes) throw MediaErrors.tooLarge(this.config.maxUploadBytes);
    if (length === 0) throw MediaErrors.empty();
    const header = req.headers['upload-metadata'];
    const fields = parseTusMetadata(typeof header === 'string' ? header : undefined);
    fields.albumIds = await this.ingest.checkAlbums(fields.albumIds);
    const context = this.context(req, fields);
    const refused = fields.albumIds.filter((id) => !context.mayUploadTo(id));
    if (refused.length) {
      throw new VitrineError('forbidden', 'photo.album_forbidden', `You may not add photos to album ${refused.join(', ')}.`, [{ path: 'albumIds', message: 'not allowed' }]);
    }
    await this.uploads.handle(req, res, context);
  }

  @Head(':id')
  @ApiOperation({ summary: 'Offset of a resumable upload (tus HEAD)' })
  @CheckPolicies((ability) => ability.can('create', 'Photo'))
  async head(@Req() req: AccessRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.own(req, id);
    const status = await this.uploads.status(id, this.context(req));
    if (!status) throw notFound();
    if (status.state === 'uploading') return this.uploads.handle(req, res, this.context(req));
    // Finished: the bytes have moved into storage, so tus itself would answer 410.
    res.status(200).set({ 'Tus-Resumable': '1.0.0', 'Cache-Control': 'no-store', 'Upload-Offset': String(status.offset), 'Upload-Length': String(status.size ?? status.offset) }).end();
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Append bytes to a resumable upload (tus PATCH, application/offset+octet-stream)' })
  @CheckPolicies((ability) => ability.can('create', 'Photo'))
  async append(@Req() req: AccessRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    checkCsrf(req);
    await this.own(req, id);
    await this.uploads.handle(req, res, this.context(req));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Abandon an unfinished resumable upload (tus termination)' })
  @CheckPolicies((ability) => ability.can('create', 'Photo'))
  async terminate(@Req() req: AccessRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    checkCsrf(req);
    await this.own(req, id);
    await this.uploads.handle(req, res, this.context(req));
  }

  @Get(':id')
  @ApiOperation({ summary: 'State of a resumable upload: uploading, processing, completed (photo) or failed (problem)' })
  @CheckPolicies((ability) => ability.can('create', 'Photo'))
  async status(@Req() req: AccessRequest, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.own(req, id);
    const status: TusUploadStatus | undefined = await this.uploads.status(id, this.context(req));
    if (!status) throw notFound();
    res.status(200).set('Cache-Control', 'no-store').json(status);
  }

  private async own(req: AccessRequest, id: string): Promise<void> {
    if (!(await this.uploads.isOwnedBy(id, req.principal ?? GUEST))) throw notFound();
  }

  private context(req: AccessRequest, fields?: TusRequestContext['fields']): TusRequestContext {
    const ability = req.ability!;
    return { principal: req.principal ?? GUEST, mayUploadTo: (id) => ability.can('upload', subject('Album', { id })), fields };
  }
}

/**
 * Every write of a cookie session carries the session's token (`X-CSRF-Token`), not only the
 * "forgeable" ones the global middleware checks: tus PATCH bodies are octet streams.
 */
function checkCsrf(req: AccessRequest): void {
  if (bearerToken(req) !== null || !req.session?.csrfToken) return;
  if (!hasValidCsrfToken(req)) throw csrfTokenError();
}
