import { unlink } from 'node:fs/promises';
import { subject } from '@casl/ability';
import { Controller, HttpCode, Post, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { FilesInterceptor } from '@nestjs/platform-express';
import { z } from 'zod';
import { CheckPolicies } from '../access/policies.decorator.js';
import type { AccessRequest } from '../access/policies.guard.js';
import { GUEST } from '../access/principal.js';
import { Errors, VitrineError } from '../common/errors.js';
import type { SpooledMulterFile } from '../importers/upload-spool.engine.js';
import { ImageSizeRegistry } from '../media/image-size.registry.js';
import { PhotoIngestService } from './photo-ingest.service.js';
import { ApiDoc, jsonSchemaOf } from '../api/api-schema.decorator.js';
import { photoUploadResultSchema, photoView, type PhotoView } from './photo.view.js';

/** Most files in one request. */
export const MAX_FILES_PER_REQUEST = 50;

const idList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^\d{1,9}$/, 'must be an album id').transform(Number)).min(1, 'at least one album id').max(100));

const uploadForm = z.object({
  albumIds: idList,
  title: z.string().max(1000).optional(),
  description: z.string().max(20_000).optional(),
  tags: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(/[,;]/)))
    .optional(),
});

/** The multipart body as OpenAPI describes it: the form fields' schema plus the `file` parts. */
function uploadBodySchema(): Record<string, unknown> {
  const form = jsonSchemaOf(uploadForm) as { properties?: Record<string, unknown>; required?: string[] };
  return {
    type: 'object',
    properties: { file: { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: MAX_FILES_PER_REQUEST }, ...form.properties },
    required: ['file', ...(form.required ?? [])],
  };
}

/**
 * `POST /api/v1/photos` (multipart/form-data): one or more `file` parts, `albumIds` (repeated,
 * or comma-separated), optional `title`, `description`, `tags`. Files are spooled and hashed
 * while they arrive (size cap = MAX_UPLOAD_BYTES); nothing is kept when the request is refused.
 */
@ApiTags('photos')
@Controller('api/v1/photos')
export class PhotoUploadController {
  constructor(
    private readonly ingest: PhotoIngestService,
    private readonly sizes: ImageSizeRegistry,
  ) {}

  @Post()
  @HttpCode(201)
  @CheckPolicies((ability) => ability.can('create', 'Photo'))
  @UseInterceptors(FilesInterceptor('file', MAX_FILES_PER_REQUEST))
  @ApiDoc({ summary: 'Upload photos (multipart/form-data: file parts, albumIds, optional title, description, tags)', response: photoUploadResultSchema })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: uploadBodySchema() as never })
  async upload(@Req() req: AccessRequest, @UploadedFiles() files: SpooledMulterFile[] | undefined): Promise<{ photos: PhotoView[] }> {
    const list = files ?? [];
    try {
      if (list.length === 0) throw Errors.invalid('photo.file_required', 'Attach at least one image in a "file" field.', [{ path: 'file', message: 'required' }]);
      const parsed = uploadForm.safeParse(req.body ?? {});
      if (!parsed.success) {
        throw Errors.invalid(
          'photo.invalid_form',
          'The upload form is incomplete or invalid.',
          parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'form', message: i.message })),
        );
      }
      const form = parsed.data;
      const ability = req.ability!;
      const refused = form.albumIds.filter((id) => !ability.can('upload', subject('Album', { id })));
      if (refused.length) {
        throw new VitrineError('forbidden', 'photo.album_forbidden', `You may not add photos to album ${refused.join(', ')}.`, [
          { path: 'albumIds', message: 'not allowed' },
        ]);
      }
      const results = await this.ingest.ingestFiles(
        list.map((f) => ({ spooled: { path: f.path, size: f.size, sha256: f.sha256, md5: f.md5 }, originalName: f.originalname })),
        { albumIds: form.albumIds, title: form.title, description: form.description, tags: form.tags, principal: req.principal ?? GUEST },
      );
      return { photos: results.map((r) => photoView(r.photo, r.duplicate, this.sizes)) };
    } catch (error) {
      await Promise.all(list.map((f) => unlink(f.path).catch(() => undefined)));
      throw error;
    }
  }
}
