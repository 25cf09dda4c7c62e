import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Where the document and the UI are served. */
export const OPENAPI_JSON_PATH = '/api/docs/openapi.json';
export const OPENAPI_UI_PATH = '/api/docs';

/** Builds the OpenAPI document from the controllers' route metadata and their zod schemas (see ApiDoc). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Vitrine API')
    .setDescription('REST API of Vitrine. Errors are RFC 9457 application/problem+json. Lists of photos use opaque cursors.')
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(app, config, { include: [] });
}

/**
 * Serves the document at `/api/docs/openapi.json` and Swagger UI at `/api/docs`. The UI's assets
 * come from the installed swagger-ui-dist package (no CDN; works offline).
 */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    yamlDocumentUrl: 'api/docs/openapi.yaml',
    customSiteTitle: 'Vitrine API',
  });
  return document;
}
