import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PhpInputOptions } from './php/php-fields.parser.js';
import type { WsContext } from './ws-context.types.js';
import { WsError, toWsError } from './ws-error.js';
import { WsInvoker, type WsInvocation, type WsInvokerOptions, type WsOutcome } from './ws-invoker.js';
import type { WsMethodRegistry } from './ws-method.registry.js';
import { parseWsRequest, type WsFieldsInput, type WsParsedRequest, type WsUploadedFile } from './ws-request.parser.js';
import { encodeWsResponse, unknownFormatResponse, type WsHttpResponse } from './ws-response.encoder.js';

/**
 * Builds the caller's {@link WsContext} once the request is parsed (session, principal, API key).
 * May throw a WsError (e.g. 401 'Invalid api_key'), answered in the requested format. May set
 * cookies on `res`.
 */
export type WsContextFactory = (req: Request, res: Response, request: WsParsedRequest) => WsContext | Promise<WsContext>;

/** Text fields (in order) and file parts of a multipart/form-data body. */
export interface WsMultipartBody {
  fields: Array<[string, string]>;
  files: WsUploadedFile[];
}

/**
 * The seam for multipart bodies (pwg.images.addSimple, upload, uploadAsync): the integration layer
 * streams parts to disk (busboy, multer…) with its own size limits and returns them here. It may
 * throw a WsError (e.g. 413). Without one, multipart requests fail with a 500.
 */
export type WsMultipartReader = (req: Request) => Promise<WsMultipartBody>;

/**
 * An answer cache for pure read methods (the integration decides which calls, under which key —
 * principal, params, format, data version). Looked up after the context is built; only successful
 * answers are stored. A hit skips the invoker, so invoke guards run on misses only.
 */
export interface WsResponseCache {
  /** The cache key of this call, or undefined when it must not be cached. May query (data version). */
  key(invocation: WsInvocation, ctx: WsContext): string | undefined | Promise<string | undefined>;
  get(key: string): WsHttpResponse | undefined;
  set(key: string, response: WsHttpResponse): void;
}

export interface WsExpressOptions extends WsInvokerOptions {
  readMultipart?: WsMultipartReader;
  responseCache?: WsResponseCache;
  /** Largest urlencoded body read (PHP's post_max_size). Default 64 MiB (addChunk sends base64). */
  maxBodyBytes?: number;
  /** max_input_vars / max_input_nesting_level. */
  input?: PhpInputOptions;
  /** Told about unexpected failures (unencodable results, reader crashes). */
  onError?: (error: unknown) => void;
}

/**
 * An express handler for `/ws.php`: GET/HEAD/POST (urlencoded; multipart through
 * `readMultipart`), Piwigo's parsing, checks and byte-exact encoders. Mount it with
 * `app.all('/ws.php', createWsHandler(registry, contextFactory))`.
 *
 * If a body parser ran before it (NestJS installs one), create the app with `rawBody: true` so
 * `req.rawBody` keeps the original bytes; otherwise the parsed `req.body` is used, best effort.
 */
export function createWsHandler(registry: WsMethodRegistry, contextFactory: WsContextFactory, options: WsExpressOptions = {}): RequestHandler {
  const invoker = new WsInvoker(registry, options);
  return (req: Request, res: Response, next: NextFunction): void => {
    handle(req, res, invoker, contextFactory, options)
      .then((response) => send(res, response))
      .catch(next);
  };
}

async function handle(
  req: Request,
  res: Response,
  invoker: WsInvoker,
  contextFactory: WsContextFactory,
  options: WsExpressOptions,
): Promise<WsHttpResponse> {
  const url = req.originalUrl ?? req.url;
  const queryStart = url.indexOf('?');
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);

  let body: WsFieldsInput | null = null;
  let files: WsUploadedFile[] = [];
  let bodyError: WsError | undefined;
  if (req.method === 'POST') {
    try {
      ({ body, files } = await readBody(req, options));
    } catch (error) {
      bodyError = toWsError(error);
      if (!(error instanceof WsError)) options.onError?.(error);
    }
  }

  const parsed = parseWsRequest({ httpMethod: req.method, query, body, files }, options.input);
  if (parsed.format === null) return unknownFormatResponse(parsed.requestedFormat);
  const invocation = parsed as WsInvocation;

  let outcome: WsOutcome;
  let cacheKey: string | undefined;
  if (bodyError) {
    outcome = { ok: false, error: bodyError };
  } else {
    try {
      const ctx = await contextFactory(req, res, parsed);
      cacheKey = options.responseCache ? await options.responseCache.key(invocation, ctx) : undefined;
      const hit = cacheKey === undefined ? undefined : options.responseCache!.get(cacheKey);
      if (hit) return hit;
      outcome = await invoker.invoke(invocation, ctx);
    } catch (error) {
      if (!(error instanceof WsError)) options.onError?.(error);
      outcome = { ok: false, error: toWsError(error) };
    }
  }
  const response = encodeWsResponse(invocation.format, outcome, options.onError);
  if (cacheKey !== undefined && outcome.ok) options.responseCache!.set(cacheKey, response);
  return response;
}

/** `$_POST` sources: urlencoded (raw bytes) or multipart (through the seam); other types give none. */
async function readBody(req: Request, options: WsExpressOptions): Promise<{ body: WsFieldsInput | null; files: WsUploadedFile[] }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data') {
    if (!options.readMultipart) throw new Error('ws.php: multipart/form-data received but no readMultipart is configured');
    const { fields, files } = await options.readMultipart(req);
    return { body: fields, files };
  }
  if (type !== 'application/x-www-form-urlencoded') return { body: null, files: [] };

  const rawBody = (req as Request & { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(rawBody)) return { body: rawBody.toString('utf8'), files: [] };
  if (req.readableEnded || (req as Request & { _body?: boolean })._body === true) {
    const parsed: unknown = req.body;
    return { body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null, files: [] };
  }
  return { body: (await readStream(req, options.maxBodyBytes ?? 64 * 1024 * 1024)).toString('utf8'), files: [] };
}

function readStream(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new WsError(413, 'Request body too large')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: Response, response: WsHttpResponse): void {
  res.status(response.status);
  if (response.statusMessage !== undefined) res.statusMessage = response.statusMessage;
  res.setHeader('Content-Type', response.contentType);
  res.setHeader('Content-Length', response.body.length);
  res.end(response.body);
}
