import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { App } from '../../shared/http.ts';
import { findActorByToken } from '../use-cases/authenticate-session.ts';

export const SESSION_COOKIE = 'mz_session';

/** What an account whose identity is not verified yet may call among the protected routes. */
const UNVERIFIED_MAY = ['/api/v1/me/notifications', '/api/v1/me/identity-verification'];

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
    const roles = request.routeOptions.config?.roles;
    if (!roles) return;
    if (!request.actor) throw new AppError('AUTH.REQUIRED');
    if (!request.actor.roles.some((r) => roles.includes(r))) throw new AppError('AUTH.FORBIDDEN');
    // 实名核验: until a self-registered account's identity is verified it reaches no personal data
    // (its messages and its own verification status excepted)
    if (request.actor.identityVerified === false && !UNVERIFIED_MAY.some((prefix) => request.routeOptions.url?.startsWith(prefix))) throw new AppError('IDENTITY.UNVERIFIED');
  });
}
