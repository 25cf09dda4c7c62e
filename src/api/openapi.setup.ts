import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { jsonSchemaOf, RESPONSE_SCHEMA_EXTENSION } from './api-schema.decorator.js';
import { problemSchema } from '../common/view.schema.js';

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
  return withResponseSchemas(SwaggerModule.createDocument(app, config, { include: [] }));
}

const PROBLEM_RESPONSE = {
  description: 'Any error: RFC 9457 problem details with a stable `code` (and the failing `errors[]` of a validation error)',
  content: { 'application/problem+json': { schema: jsonSchemaOf(problemSchema, 'output') } },
};

/**
 * Moves each route's success schema (declared with `ApiDoc({ response })`) into its 2xx response
 * and gives every operation the problem+json error response.
 */
function withResponseSchemas(document: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const op of Object.values(operations) as Record<string, unknown>[]) {
      if (typeof op !== 'object' || op === null || !('responses' in op)) continue;
      const responses = op.responses as Record<string, Record<string, unknown>>;
      const schema = op[RESPONSE_SCHEMA_EXTENSION];
      delete op[RESPONSE_SCHEMA_EXTENSION];
      if (schema) {
        const code = Object.keys(responses).find((c) => c.startsWith('2')) ?? '200';
        responses[code] = { ...responses[code], description: responses[code]?.description || 'Success', content: { 'application/json': { schema } } };
      }
      responses.default = PROBLEM_RESPONSE;
    }
  }
  return document;
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
