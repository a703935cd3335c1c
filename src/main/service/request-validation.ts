/**
 * Every request goes through here first: the method must be one of the contract's, and its
 * payload must pass that method's zod schema. Whatever fails is refused with the issues.
 */
import { REQUEST_SCHEMAS, type RequestName, type ValidRequest } from '../../shared/ipc-contract';
import { ApiRequestError, zodIssues } from './api-error';

export function isRequestName(method: unknown): method is RequestName {
  return typeof method === 'string' && Object.hasOwn(REQUEST_SCHEMAS, method);
}

/**
 * The request named, with its parsed payload (defaults applied), or an ApiRequestError naming
 * every issue.
 */
export function validateRequest(method: unknown, payload: unknown): ValidRequest {
  if (!isRequestName(method)) {
    throw new ApiRequestError(`Unknown request: ${String(method)}`);
  }
  // `void` schemas accept only undefined; a JSON transport sends null for "nothing".
  const schema = REQUEST_SCHEMAS[method];
  const value = payload === null ? undefined : payload;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiRequestError(`Invalid ${method} request`, zodIssues(parsed.error));
  }
  // The schema looked up by `method` parsed it: the payload is that request's output type,
  // which TypeScript cannot correlate across the union of schemas.
  return { name: method, request: parsed.data } as ValidRequest;
}
