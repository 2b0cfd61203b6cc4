import { LICENSE_ERRORS } from '../licenses/errors.ts';
import { EXCHANGE_ERRORS } from '../exchange/errors.ts';
import { APPLICATION_ERRORS } from '../applications/errors.ts';
import { COMMITMENT_ERRORS } from '../commitments/errors.ts';
import { VERIFICATION_ERRORS } from '../verifications/errors.ts';
import { CREDIT_ERRORS } from '../credit/errors.ts';
import { AGENT_ERRORS } from '../agents/errors.ts';
import { NOTIFICATION_ERRORS } from '../notifications/errors.ts';
import { CALENDAR_ERRORS } from '../calendar/errors.ts';

/** [HTTP status, zh-CN message, English message] per code. */
export type ErrorTable = Record<string, readonly [number, string, string]>;

/**
 * One error type for the whole platform: a closed set of namespaced codes, each with
 * its HTTP status and a user-facing message in Chinese and English. Each context keeps
 * its own codes in `<context>/errors.ts`; they are merged here into the one map.
 */
const CORE_ERRORS = {
  'REQUEST.INVALID': [400, '请求参数不正确', 'The request is invalid'],
  'REQUEST.MALFORMED_JSON': [400, '请求体不是合法的 JSON', 'The request body is not valid JSON'],
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': [415, '不支持的内容类型', 'Unsupported content type'],
  'REQUEST.TOO_LARGE': [413, '请求体过大', 'The request body is too large'],
  'REQUEST.NOT_FOUND': [404, '接口不存在', 'No such endpoint'],
  'REQUEST.METHOD_NOT_ALLOWED': [405, '不支持该请求方法', 'Method not allowed'],
  'REQUEST.IDEMPOTENCY_CONFLICT': [409, '幂等键已用于不同的请求', 'The idempotency key was used for a different request'],
  'AUTH.REQUIRED': [401, '请先登录', 'Please sign in'],
  'AUTH.INVALID_CREDENTIALS': [401, '用户名或密码错误', 'Wrong username or password'],
  'AUTH.THROTTLED': [429, '登录失败次数过多，请稍后再试', 'Too many failed sign-ins; try again later'],
  'AUTH.WRONG_PASSWORD': [403, '当前密码不正确', 'The current password is wrong'],
  'AUTH.PASSWORD_EXPIRED': [403, '密码已到期，请先修改密码后再继续使用', 'Your password has expired: change it before going on'],
  'AUTH.FORBIDDEN': [403, '您的角色无权执行此操作', 'Your role may not do this'],
  'AUTH.OUT_OF_SCOPE': [403, '超出您所在部门或区划的权限范围', 'Outside your department or region'],
  'IDENTITY.INVALID_ID_NUMBER': [422, '居民身份证号码校验失败', 'Invalid resident identity number'],
  'IDENTITY.INVALID_USCC': [422, '统一社会信用代码校验失败', 'Invalid unified social credit code'],
  'IDENTITY.ALREADY_REGISTERED': [409, '该用户名或证件已注册', 'This username or identity is already registered'],
  'IDENTITY.UNVERIFIED': [403, '请先完成实名核验：携带本人身份证件到政务服务大厅窗口核验身份后即可使用', 'Verify your identity first: at a service-hall window, with your identity document'],
  'IDENTITY.VERIFICATION_MISMATCH': [422, '现场核验的证件与该账号登记的证件号码不一致', 'The document checked in person does not match the number this account registered'],
  'IDENTITY.ACCOUNT_NOT_FOUND': [404, '没有该申请人账号', 'No such applicant account'],
  'IDENTITY.ALREADY_VERIFIED': [409, '该账号已完成实名核验', 'This account is already verified'],
  'DEPARTMENT.ALREADY_EXISTS': [409, '同名或同统一社会信用代码的部门已存在', 'A department with this name or USCC exists'],
  'REGION.NOT_FOUND': [404, '行政区划不存在', 'No such region'],
  'REGION.INVALID_CODE': [422, '行政区划代码格式不正确', 'Invalid region code'],
  'DEPARTMENT.NOT_FOUND': [404, '部门不存在', 'No such department'],
  'DEPARTMENT.OUT_OF_REGION': [403, '该区划不在您的管理范围内，只能登记本区划（含下辖区划）的部门', 'This region is outside yours: register departments of your region or of one within it'],
  'CATALOG.NOT_PUBLISHED': [404, '尚未发布任何清单版本', 'No catalog version has been published yet'],
  'CATALOG.VERSION_NOT_FOUND': [404, '清单版本不存在', 'No such catalog version'],
  'CATALOG.PROOF_ITEM_NOT_FOUND': [404, '证明事项不存在', 'No such proof item'],
  'CATALOG.SERVICE_ITEM_NOT_FOUND': [404, '政务服务事项不存在', 'No such service item'],
  'CATALOG.SERVICE_ITEM_EXISTS': [409, '该事项编码已被使用', 'A service item with this code already exists'],
  'CATALOG.SERVICE_ITEM_NAME_REQUIRED': [422, '请填写事项名称', 'Enter the name of the service item'],
  'CATALOG.MATERIAL_NAME_REQUIRED': [422, '请填写材料名称（不是证明事项的材料，如申请表，须写明名称）', 'Enter the name of the material (one that is not a proof item, such as an application form, needs a name)'],
  'CATALOG.DUPLICATE_MATERIAL': [422, '同一证明事项在材料清单中出现了两次', 'The same proof item is listed twice among the materials'],
  'CATALOG.MATERIAL_OTHER_REGION': [422, '材料所列证明事项属于其他区划，不适用于本事项', 'The proof item of a material belongs to another region and does not apply to this service item'],
  'CATALOG.SERVICE_ITEM_IN_BUNDLE': [409, '该事项属于“一件事”集成服务，不能删除', 'The service item belongs to an integrated service (一件事) and cannot be removed'],
  'CATALOG.NAME_REQUIRED': [422, '请填写证明名称', 'Enter the name of the proof'],
  'CATALOG.NAME_TOO_LONG': [422, '证明名称过长', 'The name of the proof is too long'],
  'CATALOG.LEGAL_BASIS_REQUIRED': [422, '保留的证明事项必须有设定依据', 'A retained proof needs a legal basis'],
  'CATALOG.METHOD_REQUIRED': [422, '至少需要一种免提交方式', 'At least one exemption method is required'],
  'CATALOG.METHOD_CONFLICT': [422, '免提交方式相互矛盾', 'Conflicting exemption methods'],
  'CATALOG.COMMITMENT_EXCLUDED': [422, '该类事项不适用告知承诺制', 'The commitment method is excluded for this category'],
  'CATALOG.COMMITMENT_RULE_REQUIRED': [422, '告知承诺方式需要填写承诺条件、虚假承诺后果和核查规则', 'The commitment method needs conditions, consequence and a post-check rule'],
  'CATALOG.DUPLICATE_PROOF_ITEM': [409, '同一开具部门下已存在同名证明事项', 'A proof item with this name and issuing department already exists'],
  'CATALOG.DRAFT_CHANGED': [409, '导入期间清单草稿已被他人修改，未导入任何数据，请重新导入', 'The draft changed while the file was being checked; nothing was imported, import it again'],
  'CATALOG.IMPORT_INVALID': [422, '导入文件有错误，未导入任何数据', 'The file has errors; nothing was imported'],
  'IMPORT.UNSUPPORTED_FILE': [415, '不支持的文件类型，请上传 .xlsx 或 .csv 文件', 'Unsupported file: upload .xlsx or .csv'],
  'IMPORT.EMPTY_FILE': [422, '文件中没有数据', 'The file holds no data'],
  'IMPORT.NO_HEADER': [422, '未找到表头（证明名称、开具单位、免提交方式 …）', 'No header row found (证明名称, 开具单位, 免提交方式 …)'],
  'IMPORT.TOO_MANY_ROWS': [422, '文件行数超过上限', 'The file has too many rows'],
  'CATALOG.IMPORT_FILE_REQUIRED': [400, '请上传一个 .xlsx 或 .csv 文件', 'Upload one .xlsx or .csv file'],
  'CATALOG.NOTHING_TO_PUBLISH': [409, '草稿与最新版本相同，无需发布', 'The draft equals the latest version; nothing to publish'],
  'CATALOG.IN_USE': [409, '该证明事项仍被政务服务事项引用', 'The proof item is still required by service items'],
  'AUDIT.NOT_FOUND': [404, '审计记录不存在', 'No such audit entry'],
  'CATALOG.OUT_OF_REGION': [403, '该证明事项不在您所在区划的管理范围内，只能修改本区划（含下辖区划）的证明事项', 'This proof item is outside your region: you may change only the proof items of your region and the regions within it'],
  'CATALOG.PUBLISH_PROVINCE_ONLY': [403, '清单版本由省级清单管理员发布，市、县（区）清单管理员只能编辑本区划的证明事项', 'Only the province\'s catalog administrator publishes a version; a city or county administrator edits the proof items of their region'],
  'INTERNAL': [500, '系统内部错误', 'Internal error'],
} as const satisfies ErrorTable;

export const ERRORS = { ...CORE_ERRORS, ...LICENSE_ERRORS, ...EXCHANGE_ERRORS, ...APPLICATION_ERRORS,
  ...COMMITMENT_ERRORS, ...VERIFICATION_ERRORS, ...CREDIT_ERRORS, ...AGENT_ERRORS, ...NOTIFICATION_ERRORS, ...CALENDAR_ERRORS } as const;

export type ErrorCode = keyof typeof ERRORS;

export interface AppErrorOptions {
  field?: string;
  details?: unknown;
  /** Replaces the default message (zh-CN). */
  message?: string;
  messageEn?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly details?: unknown;
  readonly messageEn: string;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const [status, zh, en] = ERRORS[code];
    super(options.message ?? zh);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.field = options.field;
    this.details = options.details;
    this.messageEn = options.messageEn ?? en;
  }

  toBody() {
    return {
      error: {
        code: this.code,
        message: this.message,
        messageEn: this.messageEn,
        ...(this.field !== undefined ? { field: this.field } : {}),
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
