import { Type } from 'typebox';
import { IdentifiesSchema } from '../../audit/adapters/identifies-schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SuiteSchema = Type.Union([Type.Literal('SM2-SM3'), Type.Literal('Ed25519')], { $id: 'ExchangeSuite' });
export const PurposeSchema = Type.Union([Type.Literal('application_review'), Type.Literal('dept_verification'), Type.Literal('post_check')], { $id: 'ExchangePurpose' });

export const KeySchema = Type.Object({
  keyId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:#-]+$' }),
  suite: Type.Ref('ExchangeSuite'),
  publicKey: Type.String({ minLength: 64, maxLength: 130, pattern: '^[0-9a-fA-F]+$' }),
}, { additionalProperties: false, $id: 'ExchangeKeyInput' });

export const ResilienceSchema = Type.Object({
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 30000 })),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 512 })),
  breakerThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  breakerHalfOpenMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 600000 })),
}, { additionalProperties: false, $id: 'ExchangeResilienceInput' });

const ParamSpec = Type.Object({
  name: Type.String({ maxLength: 40 }), type: Type.Union([Type.Literal('identity_number'), Type.Literal('uscc'), Type.Literal('integer'), Type.Literal('date'), Type.Literal('enum')]),
  label: Type.String({ maxLength: 64 }), required: Type.Boolean(), min: Type.Optional(Type.Integer()), max: Type.Optional(Type.Integer()),
  values: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  default: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 64 })], { description: 'the value the application engine asks with (it knows only the applicant), e.g. months: 12' })),
}, { additionalProperties: false });
const AnswerField = Type.Object({
  name: Type.String({ maxLength: 40 }), type: Type.Union([Type.Literal('boolean'), Type.Literal('string'), Type.Literal('integer'), Type.Literal('number'), Type.Literal('date')]),
  label: Type.String({ maxLength: 64 }),
  identifies: IdentifiesSchema('the answer'),
}, { additionalProperties: false });

export const ItemDefinitionSchema = Type.Object({
  code: Type.String({ maxLength: 48 }), name: Type.String({ maxLength: 64 }), nameEn: Type.String({ maxLength: 128 }),
  kind: Type.Union([Type.Literal('question'), Type.Literal('record')]), many: Type.Optional(Type.Boolean()),
  subjectParam: Type.String({ maxLength: 40 }), subjectKind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
  params: Type.Array(ParamSpec, { maxItems: 8 }), answer: Type.Array(AnswerField, { maxItems: 24 }), description: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false, $id: 'ExchangeItemDefinition' });

export const QualitySchema = Type.Object({
  since: Type.String(), total: Type.Integer(), sent: Type.Integer(), answered: Type.Integer(), notFound: Type.Integer(), failed: Type.Integer(), rejectedByNode: Type.Integer(),
  availability: Nullable(Type.Number()), errorRate: Nullable(Type.Number()),
  latencyP50Ms: Nullable(Type.Number()), latencyP99Ms: Nullable(Type.Number()), stalenessP50S: Nullable(Type.Number()), stalenessMaxS: Nullable(Type.Number()),
  lastAnswerAt: Nullable(Type.String()), lastFailureAt: Nullable(Type.String()),
  rejectedByReason: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer(), sent: Type.Boolean() })),
}, { $id: 'ExchangeQuality', description: 'availability: share of sent queries answered with a signed answer; errorRate: share of sent queries that failed or were rejected; staleness: answeredAt − asOf in seconds' });

export const ProviderSchema = Type.Object({
  id: Type.String(), name: Type.String(), departmentId: Type.String(), departmentName: Type.String(),
  departmentRegionCode: Type.String({ description: 'the region of the provider\'s department (departments.region_code)' }), departmentRegionName: Nullable(Type.String()),
  mayChange: Type.Boolean({ description: 'whether the caller may change this node (settings, keys, items, grants): a data administrator of the department\'s region or of one above it; false for a reader' }),
  endpoint: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]), requestSuite: Type.Ref('ExchangeSuite'),
  resilience: Type.Object({ timeoutMs: Type.Integer(), maxAttempts: Type.Integer(), concurrency: Type.Integer(), breakerThreshold: Type.Integer(), breakerHalfOpenMs: Type.Integer() }),
  keys: Type.Array(Type.Object({ keyId: Type.String(), suite: Type.Ref('ExchangeSuite'), publicKey: Type.String(), status: Type.String() })),
  items: Type.Array(Type.Object({
    code: Type.String(), name: Type.String(), definition: Type.Ref('ExchangeItemDefinition'),
    proofItems: Type.Array(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
    grants: Type.Array(Type.Object({ consumerDepartmentId: Type.String(), consumerName: Type.String(), purposes: Type.Array(Type.String()) })),
  })),
  breaker: Type.String({ description: 'circuit breaker state on this instance: closed / open / half_open / unknown (no query yet)' }),
  quality: Type.Ref('ExchangeQuality'),
}, { $id: 'ExchangeProvider' });

export const DirectoryViewerSchema = Type.Object({
  regionCode: Nullable(Type.String({ description: 'the caller registers and changes the nodes of the departments of this region and the regions within it; null: of every department (the province\'s data administrator)' })),
  regionName: Nullable(Type.String()),
}, { $id: 'ExchangeDirectoryViewer' });

export const OutcomeSchema = Type.Object({
  outcome: Type.Union([Type.Literal('answered'), Type.Literal('not_found'), Type.Literal('denied'), Type.Literal('unavailable')]),
  exchangeId: Type.String(), itemCode: Type.String(), itemName: Nullable(Type.String()), providerId: Nullable(Type.String()), providerName: Nullable(Type.String()),
  accessLogId: Nullable(Type.String()), latencyMs: Type.Number(), attempts: Type.Integer(),
  answer: Type.Optional(Type.Record(Type.String(), Type.Unknown())), asOf: Type.Optional(Type.String()), answeredAt: Type.Optional(Type.String()),
  evidence: Type.Optional(Type.Object({
    providerKeyId: Type.String(), suite: Type.String(), signature: Type.String(), batchProof: Type.Union([Type.String(), Type.Null()]), requestDigest: Type.String(), responseDigest: Type.String(), responseBody: Type.String(), signedAt: Type.String(),
  })),
  reason: Type.Optional(Type.String()), field: Type.Optional(Type.String()), message: Type.Optional(Type.String()), messageEn: Type.Optional(Type.String()),
}, { $id: 'ExchangeOutcome' });

export const LogEntrySchema = Type.Object({
  id: Type.String(), at: Type.String(), providerId: Nullable(Type.String()), providerName: Nullable(Type.String()), itemCode: Type.String(), itemName: Nullable(Type.String()),
  consumerDepartmentId: Type.String(), consumerName: Type.String(), actorRole: Nullable(Type.String()), purpose: Type.String(), applicationRef: Type.String(), legalBasis: Type.String(),
  subjectMask: Nullable(Type.String()), sent: Type.Boolean(), outcome: Type.String(), reason: Nullable(Type.String()), detail: Nullable(Type.String()), httpStatus: Nullable(Type.Integer()),
  attempts: Type.Integer(), requestSuite: Nullable(Type.String()), requestDigest: Nullable(Type.String()), responseDigest: Nullable(Type.String()), providerKeyId: Nullable(Type.String()),
  asOf: Nullable(Type.String()), answeredAt: Nullable(Type.String()), latencyMs: Type.Number(), accessLogId: Nullable(Type.String()),
}, { $id: 'ExchangeLogEntry' });

export const ALL_SCHEMAS = [SuiteSchema, PurposeSchema, KeySchema, ResilienceSchema, ItemDefinitionSchema, QualitySchema, ProviderSchema, DirectoryViewerSchema, OutcomeSchema, LogEntrySchema];
