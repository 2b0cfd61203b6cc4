import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { App } from '../../shared/http.ts';
import { findActorByToken } from '../use-cases/authenticate-session.ts';

export const SESSION_COOKIE = 'mz_session';

/** What an account whose identity is not verified yet may call among the protected routes. */
const UNVERIFIED_MAY = ['/api/v1/me/notifications', '/api/v1/me/identity-verification'];

/**
 * What a session whose password expired (等保 2.0 定期更换, PASSWORD_MAX_AGE_DAYS) may call: read
 * who it is, change the password, sign out — and sign in (a stale cookie must not stop another
 * account signing in on the same browser).
 */
const PASSWORD_EXPIRED_MAY = new Set([
  'GET /api/v1/auth/me', 'POST /api/v1/auth/password', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all', 'POST /api/v1/auth/login',
]);

function passwordExpiredError(maxAgeDays: number): AppError {
  return new AppError('AUTH.PASSWORD_EXPIRED', {
    message: `密码已超过 ${maxAgeDays} 天未更换，请先修改密码后再继续使用`,
    messageEn: `Your password is more than ${maxAgeDays} days old: change it before going on`,
    details: { maxAgeDays },
  });
}

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

/**
 * Resolves the caller once per request and enforces each route's declared roles
 * (`config.roles`). Identity comes from a session token (cookie or bearer); an external
 * OIDC provider would create the same sessions (see identity/ports/identity-provider.ts).
 */
export function registerAuthHooks(app: App): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = tokenOf(request);
    if (!token || !request.url.startsWith('/api/')) return;
    request.sessionToken = token;
    request.actor = (await findActorByToken(token, app.deps)) ?? null;
  });
  // Before validation: a caller without the role learns nothing about the route's input.
  app.addHook('preValidation', async (request: FastifyRequest, _reply: FastifyReply) => {
    // an expired password (staff-side accounts): every route but the few to change it answers 403, public ones too
    if (request.actor?.passwordExpired && request.routeOptions.url !== undefined && !PASSWORD_EXPIRED_MAY.has(`${request.method} ${request.routeOptions.url}`)) {
      throw passwordExpiredError(app.deps.config.passwordMaxAgeDays);
    }
    const roles = request.routeOptions.config?.roles;
    if (!roles) return;
    if (!request.actor) throw new AppError('AUTH.REQUIRED');
    if (!request.actor.roles.some((r) => roles.includes(r))) throw new AppError('AUTH.FORBIDDEN');
    // 实名核验: until a self-registered account's identity is verified it reaches no personal data
    // (its messages and its own verification status excepted)
    if (request.actor.identityVerified === false && !UNVERIFIED_MAY.some((prefix) => request.routeOptions.url?.startsWith(prefix))) throw new AppError('IDENTITY.UNVERIFIED');
  });
}
