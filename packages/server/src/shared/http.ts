import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { AppError, isAppError } from './errors.ts';
import { dateTimeValidation } from './date-time-input.ts';
import type { Actor, Role } from '../identity/domain/roles.ts';
import type { Deps } from './deps.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed to call the route; absent → public. */
    roles?: readonly Role[];
  }
  interface FastifyInstance {
    deps: Deps;
  }
}

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    messageEn: Type.String(),
    field: Type.Optional(Type.String()),
    details: Type.Optional(Type.Unknown()),
  }),
}, { $id: 'ErrorBody', description: 'Every 4xx/5xx answer: a closed code, zh-CN and English messages, the field at fault' });

/**
 * Response map with the shared error body for every 4xx and 5xx a route can give. Status
 * ranges rather than one entry per code: each entry is a serializer compiled at start-up.
 */
export function responses<T extends Record<number, TSchema>>(ok: T) {
  const err = Type.Ref('ErrorBody');
  return { ...ok, '4xx': err, '5xx': err } as unknown as T;
}

/**
 * A page number of a listing: 1 … 100,000. Without a maximum a number such as 1e300 passes
 * as an integer and the offset it makes leaves PostgreSQL's bigint range (an error, not a page).
 */
export const PageNumber = Type.Integer({ minimum: 1, maximum: 100_000, default: 1 });

/** A catalog version number as the database keeps it (PostgreSQL integer). */
export function VersionNumber(minimum = 1) {
  return Type.Integer({ minimum, maximum: 2_147_483_647 });
}

/** The authenticated actor, or AUTH.REQUIRED. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('AUTH.REQUIRED');
  return request.actor;
}

function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const base = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const params = v.params as Record<string, unknown> | undefined;
  const extra = (params?.additionalProperty ?? params?.missingProperty) as string | undefined;
  return [err.validationContext === 'body' ? '' : err.validationContext, base, extra].filter(Boolean).join('.') || undefined;
}

function validationMessage(err: FastifyError): { zh: string; en: string } {
  const v = err.validation?.[0];
  const params = (v?.params ?? {}) as Record<string, unknown>;
  switch (v?.keyword) {
    case 'required': return { zh: `缺少必填字段 ${String(params.missingProperty)}`, en: `Missing required field ${String(params.missingProperty)}` };
    case 'additionalProperties': return { zh: `不允许的字段 ${String(params.additionalProperty)}`, en: `Unknown field ${String(params.additionalProperty)}` };
    case 'maxLength': return { zh: `长度不能超过 ${String(params.limit)} 个字符`, en: `Must be at most ${String(params.limit)} characters` };
    case 'minLength': return { zh: `长度不能少于 ${String(params.limit)} 个字符`, en: `Must be at least ${String(params.limit)} characters` };
    case 'type': return { zh: `类型应为 ${String(params.type)}`, en: `Must be of type ${String(params.type)}` };
    case 'enum': return { zh: `取值不在允许范围内: ${String((params.allowedValues as unknown[] | undefined)?.join(', ') ?? '')}`, en: `Must be one of: ${String((params.allowedValues as unknown[] | undefined)?.join(', ') ?? '')}` };
    case 'pattern': case 'format': return { zh: '格式不正确', en: 'Wrong format' };
    case 'maximum': case 'minimum': return { zh: `数值超出范围 (${String(params.comparison)} ${String(params.limit)})`, en: `Out of range (${String(params.comparison)} ${String(params.limit)})` };
    case 'maxItems': return { zh: `最多 ${String(params.limit)} 项`, en: `At most ${String(params.limit)} items` };
    case 'minItems': return { zh: `至少 ${String(params.limit)} 项`, en: `At least ${String(params.limit)} items` };
    default: return { zh: '请求参数不正确', en: err.message };
  }
}

/** How deep a request body may nest: no route takes more than a few levels; a deeper body is refused, not walked. */
export const MAX_BODY_DEPTH = 32;

/**
 * What the request layer refuses in any body, query or path value, before schema validation:
 * a NUL character (U+0000) — PostgreSQL text cannot hold it, so it would fail in the database
 * as a 500 — a lone UTF-16 surrogate (no character; the audit chain's JCS refuses it), and nesting deeper than MAX_BODY_DEPTH (recursive code further on, validation,
 * JCS, would exhaust the stack). Returns the first offending field, named as validation names
 * fields (`name`, `methods.0`, `querystring.q`), and the reason; undefined when there is none.
 * Iterative: a body of any depth is examined without recursion.
 */
/** A UTF-16 surrogate without its pair: no character at all; JCS (the audit chain's canonical JSON) cannot encode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text is refused anywhere in a request, or undefined. */
function badText(text: string): 'nul' | 'surrogate' | undefined {
  if (text.includes('\u0000')) return 'nul';
  return LONE_SURROGATE.test(text) ? 'surrogate' : undefined;
}

export function refusedInput(value: unknown, path: string): { field: string; reason: 'nul' | 'surrogate' | 'depth' } | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path: at, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const reason = badText(v);
      if (reason) return { field: at || 'body', reason };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { field: at || 'body', reason: 'depth' };
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    // pushed in reverse, so the first field in document order is reported first
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, x] = entries[i]!;
      const field = at ? `${at}.${key}` : key;
      const reason = badText(key);
      if (reason) return { field, reason };
      stack.push({ value: x, path: field, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The value a validation error is about: `instancePath` (a JSON pointer) in the request part validated. */
function valueAt(request: FastifyRequest, context: string | undefined, instancePath: string | undefined): unknown {
  const root: unknown = context === 'querystring' ? request.query : context === 'params' ? request.params : context === 'headers' ? request.headers : request.body;
  if (!instancePath) return root;
  let cur = root;
  for (const raw of instancePath.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = Object.hasOwn(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

/** One mapping from every error to its HTTP answer; a 500 hides its details. */
export function errorToReply(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (isAppError(err)) return reply.status(err.status).send(err.toBody());
  const fe = err as FastifyError;
  if (fe.validation) {
    const v = fe.validation[0];
    // a date-time input says why (no offset, an offset written otherwise, no such date)
    const dateTime = dateTimeValidation(v?.keyword, (v?.params ?? {}) as Record<string, unknown>, valueAt(request, fe.validationContext, v?.instancePath));
    const m = dateTime ?? validationMessage(fe);
    return reply.status(400).send(new AppError('REQUEST.INVALID', { field: fieldOf(fe), message: m.zh, messageEn: m.en, details: dateTime?.details }).toBody());
  }
  const status = fe.statusCode ?? 500;
  if (status === 415 || fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.status(415).send(new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE').toBody());
  if (status === 413 || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code === 'FST_REQ_FILE_TOO_LARGE') return reply.status(413).send(new AppError('REQUEST.TOO_LARGE').toBody());
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (status === 400 && /JSON/i.test(fe.message))) return reply.status(400).send(new AppError('REQUEST.MALFORMED_JSON', { field: 'body' }).toBody());
  if (status >= 400 && status < 500) {
    return reply.status(status).send({ error: { code: 'REQUEST.INVALID', message: '请求不正确', messageEn: fe.message } });
  }
  request.log.error({ err }, 'unhandled error');
  return reply.status(500).send(new AppError('INTERNAL').toBody());
}
