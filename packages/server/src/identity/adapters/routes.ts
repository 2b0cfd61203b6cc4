import { Type } from 'typebox';
import type { App } from '../../shared/http.ts';
import { requireActor, responses } from '../../shared/http.ts';
import { login } from '../use-cases/login.ts';
import { registerAccount } from '../use-cases/register-account.ts';
import { logout, logoutEverywhere } from '../use-cases/authenticate-session.ts';
import { changePassword } from '../use-cases/change-password.ts';
import { myIdentityVerification, verifyAccountIdentity } from '../use-cases/verify-identity.ts';
import { ROLES } from '../domain/roles.ts';
import { SESSION_COOKIE } from './auth-hooks.ts';

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise'), Type.Literal('staff')]),
  roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r)))),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  /** present (false) only for a self-registered account not yet verified (实名核验) */
  identityVerified: Type.Optional(Type.Boolean()),
  /** present (true) only for a staff-side account whose password is older than PASSWORD_MAX_AGE_DAYS: until it is changed the session may only change it or sign out */
  passwordExpired: Type.Optional(Type.Boolean()),
}, { $id: 'User' });

const IdentityVerificationSchema = Type.Object({
  status: Type.Union([Type.Literal('verified'), Type.Literal('pending')]),
  via: Type.Union([Type.Literal('assumed'), Type.Literal('in_person'), Type.Literal('online'), Type.Null()]),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
});

export function identityRoutes(app: App): void {
  // the same attributes to set the session cookie and to clear it
  const cookieOptions = { httpOnly: true, sameSite: 'strict', path: '/', secure: app.deps.config.cookieSecure } as const;
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['identity'],
      summary: '登录 Sign in: sets an httpOnly session cookie and returns a bearer token',
      body: Type.Object({
        username: Type.String({ minLength: 1, maxLength: 64 }),
        password: Type.String({ minLength: 1, maxLength: 256 }),
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: Type.Ref('User') }) }),
    },
  }, async (request, reply) => {
    const result = await login({ ...request.body, clientAddress: request.ip }, app.deps);
    reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions, expires: result.expiresAt });
    return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: result.actor };
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['identity'], summary: '退出登录 Sign out', response: responses({ 204: Type.Null() }) },
  }, async (request, reply) => {
    if (request.sessionToken) await logout(request.sessionToken, app.deps);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.status(204).send(null);
  });

  // any signed-in account, its identity verified or not (no `roles`: a leaked password is reason enough to call it)
  app.post('/api/v1/auth/logout-all', {
    schema: {
      tags: ['identity'], summary: '退出所有登录 Sign out everywhere: ends every session of the signed-in account, this one included',
      response: responses({ 200: Type.Object({ ended: Type.Integer({ description: 'sessions ended' }) }) }),
    },
  }, async (request, reply) => {
    const result = await logoutEverywhere(requireActor(request), request.sessionToken!, app.deps);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return result;
  });

  // any signed-in account, its identity verified or not (no `roles`); the session is required before the body is validated
  app.post('/api/v1/auth/password', {
    preValidation: async (request) => { requireActor(request); },
    schema: {
      tags: ['identity'],
      summary: '修改密码 Change the signed-in account\'s password: needs the current one (wrong ones count toward the sign-in throttle, of the username and of the client address); ends every other session of the account, this one stays; lifts an expired password\'s restriction',
      body: Type.Object({
        currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
        newPassword: Type.String({ minLength: 1, maxLength: 128, description: '至少 8 位,含小写字母、大写字母、数字、符号中的至少三类,不含用户名,不同于最近 5 次使用过的密码(含当前密码) — 8+ characters of at least three kinds (lowercase, uppercase, digits, symbols), not containing the username, none of the last 5 passwords (the current one included)' }),
      }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ ended: Type.Integer({ description: 'other sessions of the account ended' }) }) }),
    },
  }, async (request) => changePassword({ ...request.body, clientAddress: request.ip }, requireActor(request), request.sessionToken!, app.deps));

  app.post('/api/v1/accounts', {
    schema: {
      tags: ['identity'], summary: '注册 Register as an applicant (citizen with identity number, or enterprise with USCC); an identifier a verified account holds answers 409, at most 5 times per client address within 15 minutes (then 429 for 15 minutes)',
      body: Type.Object({
        username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$' }),
        password: Type.String({ minLength: 8, maxLength: 128, description: '至少 8 位,含小写字母、大写字母、数字、符号中的至少三类,不含用户名 — 8+ characters of at least three kinds (lowercase, uppercase, digits, symbols), not containing the username' }),
        displayName: Type.String({ minLength: 1, maxLength: 100 }),
        kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
        idNumber: Type.Optional(Type.String({ maxLength: 18 })),
        uscc: Type.Optional(Type.String({ maxLength: 18 })),
      }, { additionalProperties: false }),
      response: responses({ 201: Type.Ref('User') }),
    },
  }, async (request, reply) => reply.status(201).send(await registerAccount({ ...request.body, clientAddress: request.ip }, app.deps)));

  app.get('/api/v1/me/identity-verification', {
    config: { roles: ['applicant'] },
    schema: {
      tags: ['identity'], summary: '实名核验状态 Whether this account\'s identity is verified (until then it reaches no personal data)',
      response: responses({ 200: IdentityVerificationSchema }),
    },
  }, async (request) => myIdentityVerification(requireActor(request), app.deps));

  app.post('/api/v1/accounts/identity-verification', {
    config: { roles: ['clerk', 'agent'] },
    schema: {
      tags: ['identity'], summary: '窗口实名核验 Confirm a self-registered account at the window, with the staff member\'s own current identity check of the holder\'s document',
      body: Type.Object({ username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$' }), identityCheckId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      response: responses({ 200: Type.Object({ ...IdentityVerificationSchema.properties, username: Type.String(), displayName: Type.String() }) }),
    },
  }, async (request) => verifyAccountIdentity(request.body, requireActor(request), app.deps));

  app.get('/api/v1/auth/me', {
    schema: { tags: ['identity'], summary: '当前用户 The signed-in user (`passwordExpired: true`: the session may only change the password or sign out)', response: responses({ 200: Type.Ref('User') }) },
  }, async (request) => requireActor(request));
}
