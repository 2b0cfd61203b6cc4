/**
 * The one way the UI talks to the server: same origin, JSON, cookie auth
 * (`credentials: 'same-origin'`; the client never sees or stores a token).
 * Every failure becomes an ApiError carrying the server's namespaced code and
 * both language versions of its message.
 */
import type { Locale } from '../shell/i18n/i18n';

export interface ApiErrorBody {
  code: string;
  message: string;
  messageEn?: string;
  field?: string;
  details?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageEn: string;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.messageEn = body.messageEn ?? body.message;
    this.field = body.field;
    this.details = body.details;
  }

  localized(locale: Locale): string {
    return locale === 'en' ? this.messageEn : this.message;
  }
}

/** Emitted when an authenticated call answers 401, so the session can be dropped. */
export const unauthorizedEvent = 'mianzheng:unauthorized';

export type QueryValue = string | number | boolean | null | undefined;

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  json?: unknown;
  form?: FormData;
  /** extra request headers, e.g. Idempotency-Key */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function isErrorEnvelope(value: unknown): value is { error: ApiErrorBody } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as ApiErrorBody).code === 'string';
}

export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }

  let response: Response;
  try {
    response = await fetch(path + buildQuery(options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {
      code: 'NETWORK.UNREACHABLE',
      message: '无法连接服务器,请稍后重试',
      messageEn: 'Cannot reach the server, please try again later',
    });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }

  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/api/v1/auth/')) {
      window.dispatchEvent(new CustomEvent(unauthorizedEvent));
    }
    if (isErrorEnvelope(payload)) throw new ApiError(response.status, payload.error);
    throw new ApiError(response.status, {
      code: `HTTP.${response.status}`,
      message: `请求失败(HTTP ${response.status})`,
      messageEn: `Request failed (HTTP ${response.status})`,
    });
  }
  return payload as T;
}

/** Any thrown value as an ApiError (a network failure or a bug becomes CLIENT.UNEXPECTED), for the error views. */
export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, { code: 'CLIENT.UNEXPECTED', message: e instanceof Error ? e.message : String(e) });
