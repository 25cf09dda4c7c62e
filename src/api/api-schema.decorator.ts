import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBody, ApiExtension, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

/** An OpenAPI schema object (the package does not export its type). */
export type SchemaObject = Record<string, unknown>;

export interface ApiDoc {
  summary: string;
  /** The zod schema the handler parses its body with. */
  body?: z.ZodType;
  /** The zod object schema the handler parses its query string with. */
  query?: z.ZodObject;
  /** The zod schema of the JSON the route answers with on success (its type is the handler's return type). */
  response?: z.ZodType;
}

/** Operation extension carrying the response schema until the document is finished (see openapi.setup.ts). */
export const RESPONSE_SCHEMA_EXTENSION = 'x-vitrine-response';

/** Route metadata: whether the handler parses a query string (ApiCacheInterceptor refuses one otherwise). */
export const API_TAKES_QUERY = 'vitrine:api-takes-query';

/** JSON Schema (OpenAPI 3.1 dialect) of a zod schema, as seen by a client sending input (or receiving output). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/**
 * Documents a route in the OpenAPI document from the same zod schemas that validate it, so the
 * document cannot drift from the code: the body schema, one query parameter per field, and the
 * success response.
 */
export function ApiDoc(doc: ApiDoc): MethodDecorator {
  const decorators: MethodDecorator[] = [ApiOperation({ summary: doc.summary }), SetMetadata(API_TAKES_QUERY, doc.query !== undefined)];
  if (doc.response) decorators.push(ApiExtension(RESPONSE_SCHEMA_EXTENSION, jsonSchemaOf(doc.response, 'output')));
  if (doc.body) decorators.push(ApiBody({ schema: jsonSchemaOf(doc.body) as never }));
  if (doc.query) {
    for (const [name, field] of Object.entries(doc.query.shape)) {
      const schema = field as z.ZodType;
      decorators.push(ApiQuery({ name, required: !schema.safeParse(undefined).success, schema: jsonSchemaOf(schema) as never }));
    }
  }
  return applyDecorators(...decorators);
}
