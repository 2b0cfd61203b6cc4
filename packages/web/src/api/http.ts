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
    throw unreachable();
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

  if (!response.ok) throw failure(path, response.status, payload);
  return payload as T;
}

const unreachable = () => new ApiError(0, {
  code: 'NETWORK.UNREACHABLE',
  message: '无法连接服务器，请稍后重试',
  messageEn: 'Cannot reach the server, please try again later',
});

/** The ApiError of a refused call (its error envelope, or the bare HTTP status); a 401 outside /auth/ drops the session. */
function failure(path: string, status: number, payload: unknown): ApiError {
  if (status === 401 && !path.startsWith('/api/v1/auth/')) {
    window.dispatchEvent(new CustomEvent(unauthorizedEvent));
  }
  if (isErrorEnvelope(payload)) return new ApiError(status, payload.error);
  return new ApiError(status, {
    code: `HTTP.${status}`,
    message: `请求失败（HTTP ${status}）`,
    messageEn: `Request failed (HTTP ${status})`,
  });
}

/**
 * Downloads a file the server makes (e.g. an .xlsx export) under the name the server gives it
 * (Content-Disposition) or `fallbackName`. A refusal rejects with its ApiError, so the page can
 * say why, instead of the browser opening the error's JSON as the "file".
 */
export async function apiDownload(url: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw unreachable();
  }
  if (!response.ok) {
    const text = await response.text();
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
    throw failure(url, response.status, payload);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : (/filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallbackName);
  const href = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}

/** Any thrown value as an ApiError (a network failure or a bug becomes CLIENT.UNEXPECTED), for the error views. */
export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, { code: 'CLIENT.UNEXPECTED', message: e instanceof Error ? e.message : String(e) });
