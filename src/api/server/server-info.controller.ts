import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Inject, Optional, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../access/policies.decorator.js';
import { VITRINE_CONFIG, type VitrineConfig } from '../../config/config.js';
import { ImageSizeRegistry } from '../../media/image-size.registry.js';
import { ApiCacheInterceptor } from '../api-cache.interceptor.js';
import { MAX_PAGE_SIZE } from '../api-input.js';
import { z } from 'zod';
import { ApiDoc } from '../api-schema.decorator.js';

/** The version in the nearest package.json above this file (works from src/ and from dist/src/). */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}
const VERSION = packageVersion();

const serverInfoSchema = z.object({
  name: z.literal('vitrine'),
  version: z.string(),
  apiVersion: z.literal(1),
  imageSizes: z.array(z.object({ name: z.string(), width: z.number().int(), height: z.number().int(), crop: z.boolean() })),
  limits: z.object({ maxUploadBytes: z.number().int(), maxImagePixels: z.number().int(), maxPageSize: z.number().int() }),
});

/** `GET /api/v1/server`: what a client needs to know before talking to this server. */
@ApiTags('server')
@UseInterceptors(ApiCacheInterceptor)
@Controller('api/v1/server')
export class ServerInfoController {
  private readonly sizes: ImageSizeRegistry;

  constructor(
    @Inject(VITRINE_CONFIG) private readonly config: VitrineConfig,
    @Optional() sizes?: ImageSizeRegistry,
  ) {
    this.sizes = sizes ?? new ImageSizeRegistry();
  }

  @Get()
  @Public()
  @ApiDoc({ summary: 'Version, image sizes and limits', response: serverInfoSchema })
  info(): z.infer<typeof serverInfoSchema> {
    return {
      name: 'vitrine',
      version: VERSION,
      apiVersion: 1,
      imageSizes: this.sizes.list().map((s) => ({ name: s.name, width: s.width, height: s.height, crop: s.crop })),
      limits: {
        maxUploadBytes: this.config.maxUploadBytes,
        maxImagePixels: this.config.maxImagePixels,
        maxPageSize: MAX_PAGE_SIZE,
      },
    };
  }
}
