/**
 * How the API's requests are declared: each one once, with its zod schema and its reply type,
 * and everything else (the client's methods, the host's handler map, the validating
 * dispatcher's schema table) derived from that one declaration, so the lists cannot drift.
 */
import type { z } from 'zod';

/** Type-only: a request's reply exists in the type system, never at run time. */
declare const REPLY: unique symbol;

export interface RequestSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  readonly schema: S;
  readonly [REPLY]?: R;
}

/** `request(Schema).replies<Reply>()`: a request validated by Schema that resolves to Reply. */
export function request<S extends z.ZodType>(schema: S): { replies<R>(): RequestSpec<S, R> } {
  return { replies: () => ({ schema }) };
}

type SchemaOf<T> = T extends RequestSpec<infer S, unknown> ? S : never;

/** What a caller may pass (before defaults apply). */
export type RequestInput<T> = z.input<SchemaOf<T>>;
/** What a handler receives: the payload after validation, defaults applied. */
export type RequestOutput<T> = z.output<SchemaOf<T>>;
export type RequestReply<T> = T extends RequestSpec<z.ZodType, infer R> ? R : never;

/**
 * The caller's side: one method per request. A request with no payload takes no argument; one
 * whose payload may be undefined takes an optional one.
 */
export type RequestMethods<M> = {
  [K in keyof M]: RequestInput<M[K]> extends void
    ? () => Promise<RequestReply<M[K]>>
    : undefined extends RequestInput<M[K]>
      ? (request?: RequestInput<M[K]>) => Promise<RequestReply<M[K]>>
      : (request: RequestInput<M[K]>) => Promise<RequestReply<M[K]>>;
};

/** The host's side: one handler per request, given the validated payload. */
export type RequestHandlers<M> = {
  [K in keyof M]: (request: RequestOutput<M[K]>) => Promise<RequestReply<M[K]>>;
};

export type RequestSchemas<M> = { readonly [K in keyof M]: SchemaOf<M[K]> };

export function requestSchemas<M extends Record<string, RequestSpec>>(map: M): RequestSchemas<M> {
  const schemas: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(map)) schemas[name] = spec.schema;
  return schemas as RequestSchemas<M>;
}
