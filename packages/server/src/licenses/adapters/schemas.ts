import { Type } from 'typebox';
import { IdentifiesSchema } from '../../audit/adapters/identifies-schema.ts';

export const Suite = Type.Union([Type.Literal('SM2-SM3'), Type.Literal('Ed25519')]);
export const HolderKindSchema = Type.Union([Type.Literal('111'), Type.Literal('001')], { description: '111 公民身份号码 / 001 统一社会信用代码' });
export const LicenseStatusSchema = Type.Union([Type.Literal('valid'), Type.Literal('suspended'), Type.Literal('revoked')]);
export const FieldValueSchema = Type.Union([Type.String(), Type.Number()]);
const Ref = Type.Object({ code: Type.String(), name: Type.String() });

export const FieldDefinitionSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40, description: 'claim name: a lower-case letter, then letters and digits' }),
  label: Type.String({ minLength: 1, maxLength: 40 }),
  type: Type.Union([Type.Literal('string'), Type.Literal('date'), Type.Literal('number'), Type.Literal('enum')]),
  required: Type.Boolean(),
  disclosable: Type.Boolean({ description: 'selectively disclosable (salted digest) or always shown' }),
  enumValues: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  identifies: IdentifiesSchema('the license'),
}, { additionalProperties: false, $id: 'LicenseFieldDefinition' });

export const ValiditySchema = Type.Union([
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('years'), years: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false }),
], { $id: 'LicenseValidity' });

const typeInputProps = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  definingAgencyName: Type.String({ minLength: 1, maxLength: 60 }),
  holderKind: HolderKindSchema,
  fields: Type.Array(Type.Ref('LicenseFieldDefinition'), { minItems: 1, maxItems: 40 }),
  issuingDepartmentIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 200 }),
  validity: Type.Ref('LicenseValidity'),
  legalBasis: Type.String({ minLength: 1, maxLength: 300 }),
  description: Type.Optional(Type.String({ maxLength: 500 })),
};

export const LicenseTypeInputSchema = Type.Object({
  code: Type.String({ minLength: 21, maxLength: 21, description: 'GB/T 36904 证照类型代码: defining agency USCC (18) + 3 digits' }),
  ...typeInputProps,
}, { additionalProperties: false });

export const LicenseTypePatchSchema = Type.Object({
  name: Type.Optional(typeInputProps.name), definingAgencyName: Type.Optional(typeInputProps.definingAgencyName), holderKind: Type.Optional(HolderKindSchema),
  fields: Type.Optional(typeInputProps.fields), issuingDepartmentIds: Type.Optional(typeInputProps.issuingDepartmentIds), validity: Type.Optional(typeInputProps.validity),
  legalBasis: Type.Optional(typeInputProps.legalBasis), description: typeInputProps.description,
}, { additionalProperties: false });

export const LicenseTypeSchema = Type.Object({
  code: Type.String(), name: Type.String(), definingAgencyName: Type.String(), holderKind: HolderKindSchema,
  fields: Type.Array(Type.Ref('LicenseFieldDefinition')), validity: Type.Ref('LicenseValidity'), legalBasis: Type.String(), description: Type.String(),
  issuingDepartments: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), regionCode: Type.String() })),
  proofItems: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), regionCode: Type.String() })),
  licenseCount: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
  version: Type.Integer({ minimum: 1, description: 'current version of the definition: 1 at registration, one more with each change; each license is read with the version it was issued against' }),
}, { $id: 'LicenseType' });

export const CheckSchema = Type.Object({
  name: Type.String({ description: 'signature | issuer_key | identifier_check_char | status | validity_period (+ presentation_format | holder_binding | expiry | audience | single_use for presentations)' }),
  ok: Type.Boolean(), detail: Type.String(), detailEn: Type.String(),
}, { $id: 'LicenseCheck' });
export const VerificationErrorSchema = Type.Object({ code: Type.String(), check: Type.String(), message: Type.String(), messageEn: Type.String() }, { $id: 'LicenseVerificationError' });
export const DisplayedFieldSchema = Type.Object({ name: Type.String(), label: Type.String(), value: FieldValueSchema, disclosable: Type.Boolean() }, { $id: 'LicenseDisplayedField' });

export const LicenseSummarySchema = Type.Object({
  identifier: Type.String(), licenseNumber: Type.String(), licenseType: Ref, issuer: Ref, issuedAt: Type.String(), validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]), status: Type.Union([LicenseStatusSchema, Type.Literal('unregistered')]),
}, { $id: 'LicenseSummary' });

export const VerificationResultSchema = Type.Object({
  verified: Type.Boolean(), checks: Type.Array(Type.Ref('LicenseCheck')), errors: Type.Array(Type.Ref('LicenseVerificationError')),
  license: Type.Union([Type.Ref('LicenseSummary'), Type.Null()]),
  fields: Type.Union([Type.Array(Type.Ref('LicenseDisplayedField')), Type.Null()]),
}, { $id: 'LicenseVerificationResult' });

export const AudienceSchema = Type.Object({ kind: Type.Union([Type.Literal('account'), Type.Literal('department')]), id: Type.String(), name: Type.String() });

export const PresentationVerificationSchema = Type.Object({
  verified: Type.Boolean(), checks: Type.Array(Type.Ref('LicenseCheck')), errors: Type.Array(Type.Ref('LicenseVerificationError')),
  license: Type.Union([Type.Ref('LicenseSummary'), Type.Null()]),
  fields: Type.Union([Type.Array(Type.Ref('LicenseDisplayedField')), Type.Null()], { description: 'only when verified: the disclosed fields and the always-shown ones' }),
  audience: Type.Union([AudienceSchema, Type.Null()]), expiresAt: Type.Union([Type.String(), Type.Null()]),
});

export const IssuedLicenseSchema = Type.Object({
  id: Type.String(), identifier: Type.String(), licenseNumber: Type.String(), typeCode: Type.String(), typeName: Type.String(),
  issuer: Type.Object({ departmentId: Type.String(), code: Type.String(), name: Type.String() }), holderMask: Type.String(), holderNameMask: Type.String(),
  status: LicenseStatusSchema, validFrom: Type.String(), validUntil: Type.Union([Type.String(), Type.Null()]), issuedAt: Type.String(), suite: Suite, keyId: Type.String(),
}, { $id: 'IssuedLicense' });

export const IssueLicenseSchema = Type.Object({
  typeCode: Type.String({ minLength: 21, maxLength: 21 }),
  holder: Type.Object({ code: Type.String({ minLength: 1, maxLength: 18, description: '持证主体代码: identity number (111) or USCC (001)' }), name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
  fields: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 1000 }), Type.Number()])),
  validFrom: Type.Optional(Type.String({ maxLength: 10 })),
  validUntil: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
  licenseNumber: Type.Optional(Type.String({ maxLength: 64 })),
  suite: Type.Optional(Suite),
}, { additionalProperties: false });

export const IssuerLicenseSchema = Type.Object({
  id: Type.String(), identifier: Type.String(), licenseNumber: Type.String(), licenseType: Ref, holderMask: Type.String(), holderNameMask: Type.String(),
  status: LicenseStatusSchema, validFrom: Type.String(), validUntil: Type.Union([Type.String(), Type.Null()]), issuedAt: Type.String(), suite: Suite, batchId: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'IssuerLicense' });

export const StatusEventSchema = Type.Object({ at: Type.String(), action: Type.String(), from: Type.String(), to: Type.String(), reason: Type.String() });

export const GrantSchema = Type.Object({
  id: Type.String(), licenseId: Type.String(), department: Type.Object({ id: Type.String(), name: Type.String() }), serviceItemCode: Type.Union([Type.String(), Type.Null()]),
  serviceItemName: Type.Union([Type.String(), Type.Null()]), applicationRef: Type.Union([Type.String(), Type.Null()]), purpose: Type.String(), validUntil: Type.String(),
  createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]), state: Type.Union([Type.Literal('live'), Type.Literal('revoked'), Type.Literal('expired')]),
}, { $id: 'LicenseGrant' });

export const WalletLicenseSchema = Type.Object({
  id: Type.String(), identifier: Type.String(), licenseNumber: Type.String(), licenseType: Ref, issuer: Ref, status: LicenseStatusSchema, expired: Type.Boolean(),
  validFrom: Type.String(), validUntil: Type.Union([Type.String(), Type.Null()]), issuedAt: Type.String(), suite: Type.String(),
  fields: Type.Array(Type.Ref('LicenseDisplayedField')), grants: Type.Array(Type.Ref('LicenseGrant')),
  uses: Type.Array(Type.Object({ id: Type.String(), at: Type.String(), accessorName: Type.String(), purpose: Type.String(), applicationRef: Type.Union([Type.String(), Type.Null()]), legalBasis: Type.String(), outcome: Type.String() })),
  statusHistory: Type.Array(StatusEventSchema),
});

export const PublicKeySchema = Type.Object({
  keyId: Type.String(), ownerId: Type.String(), suite: Suite, publicKey: Type.String({ description: 'hex: SM2 04‖x‖y (65 bytes), Ed25519 32 bytes' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]), createdAt: Type.String(), retiredAt: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'LicensePublicKey' });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 32 }) });
export const RegionQuery = Type.String({ pattern: '^\\d{6}$' });

export const SCHEMAS = [FieldDefinitionSchema, ValiditySchema, LicenseTypeSchema, CheckSchema, VerificationErrorSchema, DisplayedFieldSchema, LicenseSummarySchema,
  VerificationResultSchema, IssuedLicenseSchema, IssuerLicenseSchema, GrantSchema, PublicKeySchema];
