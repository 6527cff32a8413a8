export * from './admission.js';
export * from './config.js';
export * from './extract.js';
export * from './messages.js';
export * from './policy.js';
export { goQuote, goCompare, fieldErrorText, aggregateErrors, type FieldError } from './gostrings.js';
