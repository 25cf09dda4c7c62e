/**
 * One error type for every rule a service enforces. Controllers never invent their own: the
 * HTTP layer maps {@link ErrorKind} to a status and renders RFC 9457 problem+json, ws.php maps it
 * to Piwigo's error codes.
 */
export type ErrorKind =
  | 'invalid' // 400: the request is malformed or breaks a rule about its content
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409: the request clashes with the current state
  | 'too_large' // 413
  | 'unsupported' // 415
  | 'rate_limited' // 429
  | 'unavailable'; // 503

/** A field-level validation failure. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `name` or `items.2.title`. */
  path: string;
  message: string;
}

export class VitrineError extends Error {
  /**
   * @param kind   the class of failure (decides the HTTP status)
   * @param code   a stable, dotted machine-readable code such as `album.not_found`
   * @param message a sentence a person understands
   * @param fields  field-level problems for validation failures
   */
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'VitrineError';
  }
}

export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** Shorthands that keep call sites short and codes consistent. */
export const Errors = {
  notFound: (entity: string, id: unknown) =>
    new VitrineError('not_found', `${entity}.not_found`, `${capitalise(entity)} ${String(id)} does not exist.`),
  invalid: (code: string, message: string, fields?: FieldProblem[]) => new VitrineError('invalid', code, message, fields),
  conflict: (code: string, message: string) => new VitrineError('conflict', code, message),
  forbidden: (code: string, message: string) => new VitrineError('forbidden', code, message),
};

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
