import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/** Validated once at boot; nothing else in the server reads process.env. */
export interface Config {
  host: string;
  port: number;
  /** postgres://… when running on a PostgreSQL server; undefined → embedded PGlite. */
  databaseUrl?: string;
  dataDir: string;
  /** 32-byte master key (hex) for data encryption and keyed lookup hashes. */
  masterKey: Buffer;
  embedded: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  seedDemo: boolean;
  cookieSecure: boolean;
  /**
   * The reverse proxies whose `X-Forwarded-For` is believed (Fastify `trustProxy`): their
   * addresses or CIDR ranges; false (default) → the peer address is the client. Behind a
   * proxy without it every request seems to come from the proxy, so the login throttle's
   * per-address count would be one count for everybody.
   */
  trustProxy: false | string[];
  /** A session's absolute lifetime from sign-in, however it is used. */
  sessionTtlHours: number;
  /**
   * 等保 2.0 level 3 idle timeout: a session unused for longer than this is refused and ended.
   * Its last use is written at most once a minute, so the timeout is accurate to the minute.
   */
  sessionIdleMinutes: number;
  /**
   * 等保 2.0 (定期更换): a staff-side account (any role other than applicant) whose password is
   * older than this many days may still sign in, but until it changes the password its session
   * reaches nothing else (403 AUTH.PASSWORD_EXPIRED). 0 = passwords do not expire.
   */
  passwordMaxAgeDays: number;
  /** The most credit records one 信用记录 export holds; more matching records are refused (CREDIT.EXPORT_TOO_LARGE), never cut short. */
  creditExportMaxRows: number;
  webDist?: string;
  /** scrypt cost parameter N (power of two); lower only in tests. */
  passwordCost: number;
  /** Run the sample data-sharing provider nodes (公安, 民政, 人社, 不动产登记, 税务, 卫健, 教育) in-process on synthetic records. */
  sampleProviders: boolean;
  /** First port of the sample nodes (7 nodes + 1 sample legacy backend: base … base+7); 0 = any free ports. */
  providerBasePort: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL "${logLevel}" is not a pino level`);
  let masterKey: Buffer;
  if (env.MASTER_KEY) {
    if (!/^[0-9a-fA-F]{64}$/.test(env.MASTER_KEY)) throw new ConfigError('MASTER_KEY must be 64 hex characters (32 bytes)');
    masterKey = Buffer.from(env.MASTER_KEY, 'hex');
  } else if (!databaseUrl) {
    // Embedded mode: a key file in the data directory is created on first start (see ensureEmbeddedMasterKey).
    masterKey = Buffer.alloc(0);
  } else {
    throw new ConfigError('MASTER_KEY is required when DATABASE_URL is set (several instances must share it)');
  }
  const host = env.HOST ?? '127.0.0.1';
  const port = int(env, 'PORT', 8080, 0, 65535);
  const seedDemo = env.SEED_DEMO ? env.SEED_DEMO !== 'false' : !databaseUrl;
  const sessionTtlHours = int(env, 'SESSION_TTL_HOURS', 8, 1, 24 * 30);
  const sessionIdleMinutes = int(env, 'SESSION_IDLE_MINUTES', 30, 5, 24 * 60);
  if (sessionIdleMinutes > sessionTtlHours * 60) throw new ConfigError(`SESSION_IDLE_MINUTES (${sessionIdleMinutes}) must not exceed SESSION_TTL_HOURS (${sessionTtlHours}) × 60`);
  return {
    host,
    port,
    databaseUrl,
    dataDir,
    masterKey,
    embedded: !databaseUrl,
    logLevel,
    seedDemo,
    cookieSecure: env.COOKIE_SECURE === 'true',
    trustProxy: trustProxy(env.TRUST_PROXY),
    sessionTtlHours,
    sessionIdleMinutes,
    passwordMaxAgeDays: int(env, 'PASSWORD_MAX_AGE_DAYS', 90, 0, 3650),
    creditExportMaxRows: int(env, 'CREDIT_EXPORT_MAX_ROWS', 50_000, 1, 1_000_000),
    webDist: env.WEB_DIST ? path.resolve(env.WEB_DIST) : undefined,
    passwordCost: int(env, 'PASSWORD_COST', 16384, 1024, 1 << 20),
    sampleProviders: env.SAMPLE_PROVIDERS ? env.SAMPLE_PROVIDERS !== 'false' : seedDemo,
    providerBasePort: int(env, 'PROVIDER_BASE_PORT', defaultProviderBasePort(port), 0, 65527),
    ...overrides,
  };
}

/** TRUST_PROXY: unset/`false`, or comma-separated proxy addresses / CIDR ranges — never "trust any sender" (nor a bare hop count, which cannot tell a proxy from a client). */
function trustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'false') return false;
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries) {
    const [address, bits, ...rest] = e.split('/');
    const family = isIP(address ?? '');
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || !bitsOk || rest.length > 0) {
      throw new ConfigError(`TRUST_PROXY must be false or the reverse proxies' addresses/CIDR ranges (e.g. 10.0.0.5,10.1.0.0/16), got "${e}"`);
    }
  }
  return entries;
}

/** 8080 → 8181; each platform port gets its own block of ten (8091 → 8291), so instances side by side do not collide. */
export function defaultProviderBasePort(port: number): number {
  if (port === 0) return 0;
  const base = 8181 + (port - 8080) * 10;
  return base >= 1024 && base <= 65527 ? base : Math.min(port + 101, 65527);
}

export function newMasterKey(): Buffer {
  return randomBytes(32);
}
