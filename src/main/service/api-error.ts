/**
 * The one error a host sends back for a failed request: a message a user can read, and the
 * schema's issues when the payload was refused. Anything else thrown inside the service is
 * turned into one of these at the edge, so no stack trace or internal object leaks out.
 */
import type { ZodError } from 'zod';
import type { ApiError } from '../../shared/ipc-contract';

export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
  }

  toJSON(): ApiError {
    return this.issues ? { message: this.message, issues: this.issues } : { message: this.message };
  }
}

/** `path: message` per issue, so the renderer can show each next to its field. */
export function zodIssues(error: ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiRequestError) return error.toJSON();
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}

/** A value is an ApiError when it carries a string message (what crosses a process boundary). */
export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
