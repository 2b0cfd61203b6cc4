import type { ErrorTable } from '../shared/errors.ts';

/**
 * Error codes of the licenses context (LICENSE.*), merged into the platform's one map in shared/errors.ts.
 * The verification codes (SIGNATURE_INVALID … PRESENTATION_REPLAYED) mostly appear inside
 * `{ verified, checks, errors }` results rather than as thrown errors; their status is what a
 * caller that turns a failed verification into an error (readLicenseUnderGrant callers) should use.
 */
export const LICENSE_ERRORS = {
  'LICENSE.TYPE_NOT_FOUND': [404, '证照类型不存在', 'No such license type'],
  'LICENSE.TYPE_EXISTS': [409, '该证照类型代码或名称已存在', 'A license type with this code or name already exists'],
  'LICENSE.TYPE_INVALID': [422, '证照类型定义不正确', 'The license type definition is invalid'],
  'LICENSE.TYPE_CODE_INVALID': [422, '证照类型代码不正确', 'Invalid license type code'],
  'LICENSE.TYPE_CHANGED': [409, '颁发过程中证照类型已被修改，按修改后的定义该证照不能颁发，未颁发任何证照', 'The license type changed during issuance and the license does not fit its new definition; nothing was issued'],
  'LICENSE.TYPE_IN_USE': [409, '已有该类型的证照，字段只能新增选填项或修改显示名', 'Licenses of this type exist: fields may only be added as optional or relabelled'],
  'LICENSE.PROOF_ITEM_NOT_LICENSE_KIND': [422, '该证明事项的免提交方式不含电子证照', 'The proof item does not list e-license among its methods'],
  'LICENSE.PROOF_ITEM_LINKED_ELSEWHERE': [409, '该证明事项已关联其他证照类型', 'The proof item is already linked to another license type'],
  'LICENSE.NOT_FOUND': [404, '电子证照不存在', 'No such license'],
  'LICENSE.ISSUER_NOT_AUTHORISED': [403, '您所在部门不是该证照类型的颁发部门', 'Your department does not issue this license type'],
  'LICENSE.FIELDS_INVALID': [422, '证照字段不符合证照类型的要求', 'The license fields do not match the license type'],
  'LICENSE.HOLDER_CODE_INVALID': [422, '持证主体代码校验失败', 'The holder code fails its check'],
  'LICENSE.VALIDITY_INVALID': [422, '有效期不正确', 'Invalid validity period'],
  'LICENSE.BATCH_INVALID': [422, '导入文件有错误，未颁发任何证照', 'The file has errors; no license was issued'],
  'LICENSE.BATCH_FILE_REQUIRED': [400, '请上传一个 .xlsx 文件', 'Upload one .xlsx file'],
  'LICENSE.TRANSITION_NOT_ALLOWED': [409, '证照当前状态不允许该操作', 'The license\'s current status does not allow this action'],
  'LICENSE.VERIFY_INPUT_INVALID': [422, '请提供证照文件（document）或证照标识（identifier）之一', 'Give either a license document or an identifier'],
  'LICENSE.NOT_HOLDER': [403, '您不是该证照的持证人', 'You do not hold this license'],
  'LICENSE.GRANT_NOT_FOUND': [404, '用证授权不存在', 'No such use grant'],
  'LICENSE.GRANT_INVALID': [422, '用证授权不正确', 'Invalid use grant'],
  'LICENSE.GRANT_ALREADY_REVOKED': [409, '该授权已撤销', 'The grant is already revoked'],
  'LICENSE.PRESENTATION_INVALID': [422, '亮证参数不正确', 'Invalid presentation request'],
  'LICENSE.ISSUER_NOT_FOUND': [404, '颁发机构不存在', 'No such issuer'],
  // verification results (see domain/verification.ts)
  'LICENSE.DOCUMENT_MALFORMED': [422, '证照文件格式不正确', 'The license document is malformed'],
  'LICENSE.IDENTIFIER_INVALID': [422, '电子证照标识格式不正确', 'The license identifier is malformed'],
  'LICENSE.IDENTIFIER_CHECK_CHAR': [422, '电子证照标识校验位错误', 'The license identifier\'s check character is wrong'],
  'LICENSE.IDENTIFIER_MISMATCH': [422, '电子证照标识与证照类型或颁发机构不一致', 'The identifier does not match the license type or issuer'],
  'LICENSE.UNKNOWN_ISSUER': [422, '颁发机构未知', 'Unknown issuer'],
  'LICENSE.UNKNOWN_KEY': [422, '签名密钥未知', 'Unknown signing key'],
  'LICENSE.ISSUER_KEY_MISMATCH': [422, '签名密钥不属于该颁发机构', 'The signing key does not belong to the issuer'],
  'LICENSE.KEY_NOT_VALID_AT_ISSUE': [422, '签名密钥在颁发时不处于有效期内', 'The signing key was not valid when the license was issued'],
  'LICENSE.SIGNATURE_INVALID': [422, '签名验证失败', 'The signature does not verify'],
  'LICENSE.SIGNATURE_UNVERIFIED': [422, '缺少颁发机构公钥，无法验证签名', 'The signature could not be checked without the issuer key'],
  'LICENSE.DISCLOSURE_INVALID': [422, '披露字段与签名内容不符', 'A disclosed field does not match the signed content'],
  'LICENSE.REVOKED': [409, '证照已吊销', 'The license is revoked'],
  'LICENSE.SUSPENDED': [409, '证照已暂停使用', 'The license is suspended'],
  'LICENSE.STATUS_UNKNOWN': [422, '无法确定证照状态', 'The license status is unknown'],
  'LICENSE.STATUS_LIST_INVALID': [422, '状态列表无效或已过期', 'The status list is invalid or expired'],
  'LICENSE.EXPIRED': [409, '证照已过有效期', 'The license has expired'],
  'LICENSE.NOT_YET_VALID': [409, '证照尚未生效', 'The license is not yet valid'],
  'LICENSE.PRESENTATION_MALFORMED': [422, '亮证码格式不正确', 'The presentation is malformed'],
  'LICENSE.PRESENTATION_SIGNATURE_INVALID': [422, '亮证码的平台签名验证失败', 'The presentation\'s platform signature does not verify'],
  'LICENSE.PRESENTATION_EXPIRED': [422, '亮证码已过期', 'The presentation has expired'],
  'LICENSE.PRESENTATION_WRONG_AUDIENCE': [403, '该亮证码不是出示给您的', 'The presentation is meant for another verifier'],
  'LICENSE.PRESENTATION_REPLAYED': [409, '该亮证码已被使用过', 'The presentation was already used'],
  'LICENSE.PRESENTATION_UNKNOWN': [422, '平台没有该亮证记录', 'The platform has no record of this presentation'],
} as const satisfies ErrorTable;

export type LicenseErrorCode = keyof typeof LICENSE_ERRORS;
