/**
 * Vitrine's ws.php engine: Piwigo's web API protocol (parsing, checks, envelopes, encoders),
 * independent of the services behind the methods. See README.md in this folder.
 */
export * from './pwg-token.js';
export * from './ws-context.types.js';
export * from './ws-core.methods.js';
export * from './ws-error.js';
export * from './ws-express.handler.js';
export * from './ws-invoker.js';
export * from './ws-json.encoder.js';
export * from './ws-legacy.encoder.js';
export * from './ws-method.registry.js';
export * from './ws-method.types.js';
export * from './ws-param.checker.js';
export * from './ws-request.parser.js';
export * from './ws-response.encoder.js';
export * from './ws-session.methods.js';
export * from './ws-session.types.js';
export * from './ws-values.js';
export * from './ws-xml.encoder.js';
export { strnatcmp } from './php/php-natural.comparator.js';
export { phpFilterBool, phpFilterFloat, phpFilterInt } from './php/php-filter.validator.js';
export { buildPhpInput, parsePhpQuery, type PhpInput, type PhpInputOptions, type PhpInputValue } from './php/php-fields.parser.js';
