import fs from 'node:fs';
import { runInRequestScope } from './shared/request-scope.ts';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { applySessionNotice, forgetAllCachedSessions, SESSIONS_CHANNEL } from './identity/use-cases/authenticate-session.ts';
import { AppError } from './shared/errors.ts';
import { maskIdentityNumbersIn } from './shared/pii.ts';
import { ErrorBody, errorToReply, MAX_BODY_DEPTH, refusedInput, responses, type App } from './shared/http.ts';
import type { Deps } from './shared/deps.ts';
import { registerAuthHooks } from './identity/adapters/auth-hooks.ts';
import { identityRoutes, UserSchema } from './identity/adapters/routes.ts';
import { catalogRoutes } from './catalog/adapters/routes.ts';
import { auditRoutes } from './audit/adapters/routes.ts';
import { applicationRoutes } from './applications/adapters/routes.ts';
import { commitmentRoutes } from './commitments/adapters/routes.ts';
import { verificationRoutes } from './verifications/adapters/routes.ts';
import { creditRoutes } from './credit/adapters/routes.ts';
import { agentRoutes } from './agents/adapters/routes.ts';
import { notificationRoutes } from './notifications/adapters/routes.ts';
import { statsRoutes } from './stats/adapters/routes.ts';
import { licenseRoutes } from './licenses/adapters/routes.ts';
import { exchangeRoutes } from './exchange/adapters/routes.ts';
import { calendarRoutes } from './calendar/adapters/routes.ts';

export const VERSION = '0.1.0';

export interface BuildOptions {
  config: Config;
  database: Database;
  deps: Deps;
  logger?: FastifyServerOptions['logger'];
}

/** Logged requests never carry tokens, cookies or identity numbers. */
export const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.idNumber', '*.holderCode',
];

/**
 * The request line ("incoming request") as Fastify logs it, with any identity number in the URL
 * masked (`?subject=`, `?q=`, a path segment): 340503********0027.
 */
export const LOG_SERIALIZERS = {
  req: (req: FastifyRequest) => ({
    method: req.method, url: maskIdentityNumbersIn(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort,
  }),
};

/** The logger options with the masking request serializer, whatever options the caller gave. */
function withLogSerializers(logger: FastifyServerOptions['logger'], config: Config): FastifyServerOptions['logger'] {
  if (logger === undefined) return { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, serializers: LOG_SERIALIZERS };
  if (logger === true) return { serializers: LOG_SERIALIZERS };
  if (!logger) return logger;
  return { ...logger, serializers: { ...logger.serializers, ...LOG_SERIALIZERS } };
}

export async function buildApp(options: BuildOptions): Promise<App> {
  const { config, database } = options;
  const app = Fastify({
    logger: withLogSerializers(options.logger, config),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // the client address behind the configured reverse proxies (login throttle, audit); none by default
    trustProxy: config.trustProxy,
    schemaController: { compilersFactory: { buildValidator: buildValidator, buildSerializer: buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.decorate('deps', options.deps);
  // a request scope for values read once per request (shared/request-scope.ts)
  app.addHook('onRequest', (_request, _reply, done) => runInRequestScope(done));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Before schema validation, for every route: a NUL character or a lone surrogate in any string, or a body nested
  // deeper than any route takes, is refused with its field.
  app.addHook('preValidation', async (request) => {
    const refused = refusedInput(request.body, '') ?? refusedInput(request.query, 'querystring') ?? refusedInput(request.params, 'params');
    if (refused?.reason === 'nul') throw new AppError('REQUEST.INVALID', { field: refused.field, message: '不能包含空字符 (U+0000)', messageEn: 'Must not contain the NUL character (U+0000)' });
    if (refused?.reason === 'surrogate') throw new AppError('REQUEST.INVALID', { field: refused.field, message: '包含无效的字符编码(孤立的代理码元)', messageEn: 'Contains an invalid character (a lone UTF-16 surrogate)' });
    if (refused) throw new AppError('REQUEST.INVALID', { field: refused.field, message: `嵌套层级不能超过 ${MAX_BODY_DEPTH} 层`, messageEn: `Must not nest deeper than ${MAX_BODY_DEPTH} levels` });
  });

  app.addSchema(ErrorBody);
  app.addSchema(UserSchema);
  app.setErrorHandler((err, request, reply) => errorToReply(err as Error, request, reply));

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '免证 Mianzheng API', version: VERSION,
        description: '无证明城市服务平台 — proof-free city platform. Errors: `{ error: { code, message, messageEn, field, details } }`. ' +
          'Authenticate with `POST /api/v1/auth/login`; send the token as `Authorization: Bearer <token>` (API clients) or rely on the httpOnly cookie (browser).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'mz_session' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.addHook('onRoute', (route) => {
    const roles = route.config?.roles;
    if (roles && route.schema) {
      const schema = route.schema as Record<string, unknown>;
      schema.security = [{ bearer: [] }, { cookie: [] }];
      // once: a GET route's automatic HEAD twin shares this schema object and passes here too
      const description = (schema.description as string | undefined) ?? '';
      if (!description.includes('Roles: ')) schema.description = `${description ? `${description} ` : ''}Roles: ${roles.join(', ')}`;
    }
  });

  registerAuthHooks(app);
  // several instances on one PostgreSQL database: sessions ended (or accounts changed) on another
  // instance leave this one's session cache as the NOTIFY arrives, not SESSION_CACHE_TTL_MS later
  if (database.listen) {
    const db = options.deps.db;
    const stop = await database.listen(SESSIONS_CHANNEL, (payload) => applySessionNotice(db, payload), () => {
      forgetAllCachedSessions(db);
      app.log.warn('session notices: listening connection restored; cached sessions cleared');
    });
    app.addHook('onClose', stop);
  }

  app.get('/api/health', {
    schema: {
      tags: ['platform'], summary: '健康检查 Health',
      response: responses({ 200: Type.Object({ status: Type.Literal('ok'), database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]), version: Type.String() }) }),
    },
  }, async () => {
    await database.db.selectFrom('regions').select('code').limit(1).execute();
    return { status: 'ok' as const, database: database.kind, version: VERSION };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  identityRoutes(app);
  catalogRoutes(app);
  auditRoutes(app);
  applicationRoutes(app);
  commitmentRoutes(app);
  verificationRoutes(app);
  creditRoutes(app);
  agentRoutes(app);
  notificationRoutes(app);
  statsRoutes(app);
  licenseRoutes(app);
  exchangeRoutes(app);
  calendarRoutes(app);

  const webDist = config.webDist ?? defaultWebDist();
  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes get the SPA; API paths and missing files (assets) are a real 404.
    const pathname = request.url.split('?')[0]!;
    if (pathname.startsWith('/api') || request.method !== 'GET' || !hasWeb || pathname.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(pathname)) {
      return reply.status(404).send(new AppError('REQUEST.NOT_FOUND', { field: 'url' }).toBody());
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}

/**
 * Route validators and response serializers, compiled once per process and shared by every app
 * built in it. Compiling them is most of what `app.ready()` costs (≈ 1 s for the whole API: fast-json-stringify
 * and Ajv code generation); a second app in the process — another instance in a test, the
 * multi-instance checks — reuses them. The key is the whole schema text with the shared
 * schemas and compiler options it was compiled with, so an app whose schemas differ gets its own.
 * Compiled functions hold no per-app state.
 */
const compiled = new Map<string, unknown>();

function memo<T>(key: string, compile: () => T): T {
  let fn = compiled.get(key) as T | undefined;
  if (fn === undefined) {
    fn = compile();
    compiled.set(key, fn);
  }
  return fn;
}

type ValidatorFactory = ReturnType<typeof AjvCompiler>;
const validatorPool = AjvCompiler();
const serializerFactory = SerializerSelector();

/**
 * Query strings, params and headers are text, so their values are coerced to the schema's
 * types; JSON bodies are validated as sent (a string where an array belongs is an error),
 * and unknown properties are rejected rather than silently removed.
 */
function buildValidator(externalSchemas: Parameters<ValidatorFactory>[0], options: Parameters<ValidatorFactory>[1]) {
  const base = { removeAdditional: false, useDefaults: true, allErrors: false } as const;
  const withOptions = (coerceTypes: 'array' | false) => ({ ...options, customOptions: { ...base, coerceTypes } }) as Parameters<ValidatorFactory>[1];
  const coercing = validatorPool(externalSchemas, withOptions('array'));
  const strict = validatorPool(externalSchemas, withOptions(false));
  const context = JSON.stringify([externalSchemas, options?.customOptions ?? null]);
  return (route: { schema?: unknown; httpPart?: string } & Record<string, unknown>) => {
    const body = route.httpPart === 'body';
    return memo(`v${body ? 'b' : 'c'}${context}${JSON.stringify(route.schema)}`, () => (body ? strict : coercing)(route as never));
  };
}

function buildSerializer(externalSchemas: unknown, serializerOptions: unknown) {
  const compile = serializerFactory(externalSchemas as never, serializerOptions as never) as (route: { schema?: unknown }) => (data: unknown) => string;
  const context = JSON.stringify([externalSchemas, serializerOptions ?? null]);
  return (route: { schema?: unknown } & Record<string, unknown>): ((data: unknown) => string) => memo(`s${context}${JSON.stringify(route.schema)}`, () => compile(route));
}

function defaultWebDist(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web/dist');
}
