import { Type } from 'typebox';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const NBool = Type.Union([Type.Boolean(), Type.Null()]);

export const ResolutionMethodSchema = Type.Union(['cancelled', 'data_sharing', 'e_license', 'dept_verification', 'commitment', 'online_issue', 'retained', 'upload'].map((m) => Type.Literal(m)));

export const AttemptSchema = Type.Object({ method: Str, outcome: Str, reason: Str, reasonEn: Str, at: Str });

export const ResolutionSchema = Type.Object({
  id: Str, proofItemName: Str, issuingDepartmentName: Str, legalBasis: Str, methods: Type.Array(Str), method: NStr, status: Str,
  withoutSubmission: NBool, explanation: Str, explanationEn: Str, attempts: Type.Array(AttemptSchema),
  evidence: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]), shared: Type.Boolean(), resolvedAt: NStr,
  commitment: Type.Union([Type.Object({ id: Str, status: Str, signedAt: NStr }), Type.Null()]),
  verification: Type.Union([Type.Object({ id: Str, status: Str, dueAt: Str, answeredAt: NStr, reason: NStr }), Type.Null()]),
  files: Type.Array(Type.Object({ id: Str, filename: Str, mediaType: Str, size: Type.Integer(), uploadedAt: Str })),
  options: Type.Array(Str),
});

export const ApplicationSchema = Type.Object({
  id: Str, ref: Str, status: Str, statusLabel: Str,
  bundle: Type.Union([Type.Object({ id: Str, ref: Str, code: Str, name: Str }), Type.Null()]),
  serviceItem: Type.Object({ code: Str, name: Str }), department: Type.Object({ id: Str, name: Str }), regionCode: Str, catalogVersion: Type.Integer(),
  applicant: Type.Object({ name: Str, kind: Str, codeMask: Str, hasAccount: Type.Boolean() }),
  agent: Type.Union([Type.Object({ id: Str, name: Str }), Type.Null()]), walkIn: Type.Boolean(),
  form: Type.Record(Type.String(), Type.Unknown()), createdAt: Str, submittedAt: NStr, reviewDueAt: NStr, decidedAt: NStr, decisionReason: NStr,
  completedAt: NStr, revocationSuggested: Type.Boolean(),
  commitmentRoute: Type.Object({ offered: Type.Boolean(), reason: NStr }),
  viewer: Type.Union([Type.Object({
    applicantSide: Type.Boolean(), isApplicant: Type.Boolean(),
    filedByMe: Type.Boolean({ description: 'the viewer filed it (created it, or files it as agent / service-hall helper): with isApplicant, separation of duties (受审分离) bars them from deciding it' }),
  }), Type.Null()]),
  materials: Type.Array(Type.Object({
    materialId: Str, position: Type.Integer(), name: Str, required: Type.Boolean(), proofItemId: NStr, resolution: Type.Union([ResolutionSchema, Type.Null()]),
  })),
  summary: Type.Object({ proofMaterials: Type.Integer(), satisfiedWithoutSubmission: Type.Integer(), awaiting: Type.Integer(), failed: Type.Integer() }),
}, { $id: 'Application' });

export const BundleViewSchema = Type.Object({
  id: Str, ref: Str, code: Str, name: Str, applications: Type.Array(Type.Ref('Application')),
}, { $id: 'BundleApplication' });

export const PlanSchema = Type.Object({
  serviceItems: Type.Array(Type.Object({ code: Str, name: Str, departmentName: Str })),
  forms: Type.Array(Type.Object({ serviceItemCode: Str, materialId: Str, name: Str })),
  materials: Type.Array(Type.Object({
    proofItemId: Str, proofItemName: Str, issuingDepartmentName: Str, legalBasis: Str, methods: Type.Array(Str), method: Str, mustProvide: Type.Boolean(),
    explanation: Str, explanationEn: Str, neededBy: Type.Array(Type.Object({ serviceItemCode: Str, materialId: Str })),
  })),
  commitmentRoute: Type.Object({ offered: Type.Boolean(), reason: NStr }),
  summary: Type.Object({ proofMaterials: Type.Integer(), uniqueProofs: Type.Integer(), nothingToProvide: Type.Integer() }),
});

export const FormSchema = Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]), { maxProperties: 60 });

export const Uuid = Type.String({ format: 'uuid' });
export const ServiceItemCode = Type.String({ minLength: 3, maxLength: 64, pattern: '^[0-9A-Za-z-]+$' });
