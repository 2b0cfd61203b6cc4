/**
 * Texts of the e-license pages, zh-CN first with English, kept beside the pages (the shell's
 * dictionaries hold only the navigation labels). The language follows the shell's i18n.
 */
import { format, useI18n } from '../../shell/i18n/i18n';

const zh = {
  'status.valid': '有效', 'status.suspended': '已暂停', 'status.revoked': '已吊销', 'status.unregistered': '未登记', 'status.expired': '已过期',
  'check.signature': '签名', 'check.issuer_key': '颁发机构密钥', 'check.identifier_check_char': '证照标识校验位', 'check.status': '证照状态',
  'check.validity_period': '有效期', 'check.presentation_format': '亮证码格式', 'check.holder_binding': '持证人认证（平台签名）', 'check.expiry': '亮证码时效',
  'check.audience': '出示对象', 'check.single_use': '一次性使用',
  'verify.title': '亮证核验', 'verify.subtitle': '扫描持证人出示的二维码，或粘贴亮证码文本；只显示持证人选择披露的信息。',
  'verify.tabPresentation': '核验亮证码', 'verify.tabDocument': '核验证照文件 / 标识',
  'verify.scan': '扫码', 'verify.stopScan': '停止扫码', 'verify.noCamera': '此浏览器不支持扫码（BarcodeDetector），请粘贴亮证码文本',
  'verify.paste': '亮证码文本（MZVP1.…）', 'verify.submit': '核验', 'verify.ok': '核验通过', 'verify.failed': '核验未通过',
  'verify.disclosed': '持证人披露的信息', 'verify.checks': '检查项', 'verify.documentInput': '证照文件 JSON 或电子证照标识（1.2.156.3005.2…）',
  'verify.license': '证照', 'verify.issuer': '颁发机构', 'verify.validity': '有效期', 'verify.indefinite': '长期', 'verify.audience': '出示对象',
  'wallet.title': '我的电子证照', 'wallet.subtitle': '亮证、授权部门用证，并查看每一次用证记录。', 'wallet.empty': '暂无电子证照',
  'wallet.present': '亮证', 'wallet.grant': '授权用证', 'wallet.download': '下载证照文件', 'wallet.fields': '证照信息', 'wallet.grants': '用证授权',
  'wallet.uses': '用证记录', 'wallet.history': '状态变更', 'wallet.revokeGrant': '撤销授权', 'wallet.noGrants': '暂无授权', 'wallet.noUses': '暂无用证记录',
  'wallet.identifier': '证照标识', 'wallet.number': '证照编号', 'wallet.issuedAt': '颁发时间', 'wallet.grantState.live': '有效', 'wallet.grantState.revoked': '已撤销', 'wallet.grantState.expired': '已过期',
  'present.title': '亮证：选择要出示的信息', 'present.fields': '选择披露的字段', 'present.always': '始终显示', 'present.audience': '出示对象', 'present.anyone': '不限（任何核验方）',
  'present.expires': '有效时长', 'present.seconds': '{n} 秒', 'present.create': '生成亮证码', 'present.qrHint': '请核验方扫描二维码（仅可使用一次）',
  'present.remaining': '剩余 {n} 秒', 'present.expired': '已过期，请重新生成', 'present.copy': '复制亮证码', 'present.copied': '已复制',
  'grant.title': '授权部门使用此证照', 'grant.department': '部门', 'grant.serviceItem': '用于事项', 'grant.applicationRef': '或办件编号', 'grant.days': '有效期（天）', 'grant.ok': '已授权',
  'issuer.title': '电子证照颁发', 'issuer.subtitle': '本部门登记的证照类型：颁发、批量导入存量证照、暂停/恢复/吊销。', 'issuer.tabIssue': '颁发证照',
  'issuer.tabBatch': '批量导入', 'issuer.tabList': '已颁发证照', 'issuer.type': '证照类型', 'issuer.holderName': '持证主体名称', 'issuer.holderCode': '持证主体代码',
  'issuer.validFrom': '有效期起始', 'issuer.validUntil': '有效期截止（留空按规则）', 'issuer.suite': '签名算法', 'issuer.submit': '颁发', 'issuer.issued': '已颁发',
  'issuer.noTypes': '本部门没有可颁发的证照类型', 'issuer.template': '下载导入模板', 'issuer.upload': '选择 .xlsx 文件导入', 'issuer.batchOk': '已颁发 {n} 份证照',
  'issuer.batchInvalid': '文件有错误，未颁发任何证照', 'issuer.row': '行', 'issuer.column': '列', 'issuer.reason': '原因',
  'issuer.suspend': '暂停', 'issuer.reinstate': '恢复', 'issuer.revoke': '吊销', 'issuer.reason.prompt': '请填写原因', 'issuer.search': '持证主体代码 / 证照标识 / 编号',
  'issuer.holder': '持证主体', 'issuer.actions': '操作', 'issuer.done': '已{action}',
  'types.title': '证照类型管理', 'types.subtitle': '登记证照类型（GB/T 36904 类型代码、字段、持证主体类型、颁发部门、有效期）并关联证明事项。',
  'types.new': '登记证照类型', 'types.edit': '修改', 'types.link': '关联证明事项', 'types.code': '类型代码', 'types.name': '证照名称', 'types.agency': '定义机构',
  'types.holderKind': '持证主体类型', 'types.fields': '字段', 'types.departments': '颁发部门', 'types.validity': '有效期', 'types.legalBasis': '设定依据',
  'types.count': '已颁发', 'types.proofItems': '关联证明事项', 'types.years': '{n} 年', 'types.none': '长期', 'types.fieldName': '字段名', 'types.fieldLabel': '显示名',
  'types.fieldType': '类型', 'types.required': '必填', 'types.disclosable': '可选择披露', 'types.enumValues': '取值（、分隔）', 'types.addField': '添加字段', 'types.saved': '已保存',
  'types.identifies': '字段内容（文本）', 'types.identifies.person': '公民身份号码', 'types.identifies.enterprise': '统一社会信用代码', 'types.identifies.none': '其他编号或文字',
  'types.identifiesHelp': '文本字段所填内容的类别：填写他人公民身份号码的字段，每次使用证照时也为该人记录“谁用了我的数据”；统一社会信用代码、证书编号等不会被当作个人。不选：有效的身份号码视为个人。',
  'usage.title': '用证事项清单', 'usage.subtitle': '可用电子证照代替提交材料的政务服务事项，以及各地电子证照关联率。', 'usage.type': '证照类型', 'usage.region': '行政区划',
  'usage.export': '导出 .xlsx', 'usage.item': '事项', 'usage.materials': '以电子证照代替的材料', 'usage.rate': '电子证照关联率', 'usage.linked': '已关联',
  'usage.total': '含证照类材料的事项', 'usage.unlinked': '尚未关联证照类型的证明事项', 'usage.all': '全部',
  'common.cancel': '取消', 'common.ok': '确定', 'common.yes': '是', 'common.no': '否',
} as const;

export type LicenseMessageKey = keyof typeof zh;

const en: Record<LicenseMessageKey, string> = {
  'status.valid': 'Valid', 'status.suspended': 'Suspended', 'status.revoked': 'Revoked', 'status.unregistered': 'Unregistered', 'status.expired': 'Expired',
  'check.signature': 'Signature', 'check.issuer_key': 'Issuer key', 'check.identifier_check_char': 'Identifier check character', 'check.status': 'Status',
  'check.validity_period': 'Validity period', 'check.presentation_format': 'Presentation format', 'check.holder_binding': 'Holder binding (platform signature)', 'check.expiry': 'Presentation expiry',
  'check.audience': 'Audience', 'check.single_use': 'Single use',
  'verify.title': 'Verify a presentation', 'verify.subtitle': 'Scan the QR code the holder shows, or paste its text; only the fields the holder chose are shown.',
  'verify.tabPresentation': 'Presentation', 'verify.tabDocument': 'License document / identifier',
  'verify.scan': 'Scan', 'verify.stopScan': 'Stop scanning', 'verify.noCamera': 'This browser cannot scan (no BarcodeDetector); paste the presentation text',
  'verify.paste': 'Presentation text (MZVP1.…)', 'verify.submit': 'Verify', 'verify.ok': 'Verified', 'verify.failed': 'Not verified',
  'verify.disclosed': 'Disclosed by the holder', 'verify.checks': 'Checks', 'verify.documentInput': 'License document JSON or identifier (1.2.156.3005.2…)',
  'verify.license': 'License', 'verify.issuer': 'Issuer', 'verify.validity': 'Validity', 'verify.indefinite': 'indefinite', 'verify.audience': 'Audience',
  'wallet.title': 'My e-licenses', 'wallet.subtitle': 'Present a license, let departments use it, and see every use.', 'wallet.empty': 'No e-licenses yet',
  'wallet.present': 'Present', 'wallet.grant': 'Grant use', 'wallet.download': 'Download document', 'wallet.fields': 'Fields', 'wallet.grants': 'Use grants',
  'wallet.uses': 'Uses', 'wallet.history': 'Status history', 'wallet.revokeGrant': 'Revoke', 'wallet.noGrants': 'No grants', 'wallet.noUses': 'No uses yet',
  'wallet.identifier': 'Identifier', 'wallet.number': 'License number', 'wallet.issuedAt': 'Issued', 'wallet.grantState.live': 'Live', 'wallet.grantState.revoked': 'Revoked', 'wallet.grantState.expired': 'Expired',
  'present.title': 'Present: choose what to show', 'present.fields': 'Fields to disclose', 'present.always': 'always shown', 'present.audience': 'Audience', 'present.anyone': 'Anyone (no restriction)',
  'present.expires': 'Valid for', 'present.seconds': '{n} s', 'present.create': 'Create QR code', 'present.qrHint': 'Let the verifier scan the QR code (single use)',
  'present.remaining': '{n} s left', 'present.expired': 'Expired; create a new one', 'present.copy': 'Copy text', 'present.copied': 'Copied',
  'grant.title': 'Let a department use this license', 'grant.department': 'Department', 'grant.serviceItem': 'For service item', 'grant.applicationRef': 'or application number', 'grant.days': 'Valid for (days)', 'grant.ok': 'Granted',
  'issuer.title': 'E-license issuance', 'issuer.subtitle': 'License types your department issues: issue, import existing licenses, suspend/reinstate/revoke.', 'issuer.tabIssue': 'Issue',
  'issuer.tabBatch': 'Batch import', 'issuer.tabList': 'Issued licenses', 'issuer.type': 'License type', 'issuer.holderName': 'Holder name', 'issuer.holderCode': 'Holder code',
  'issuer.validFrom': 'Valid from', 'issuer.validUntil': 'Valid until (empty: by rule)', 'issuer.suite': 'Signature suite', 'issuer.submit': 'Issue', 'issuer.issued': 'Issued',
  'issuer.noTypes': 'Your department issues no license type', 'issuer.template': 'Download template', 'issuer.upload': 'Choose an .xlsx file', 'issuer.batchOk': '{n} licenses issued',
  'issuer.batchInvalid': 'The file has errors; nothing was issued', 'issuer.row': 'Row', 'issuer.column': 'Column', 'issuer.reason': 'Reason',
  'issuer.suspend': 'Suspend', 'issuer.reinstate': 'Reinstate', 'issuer.revoke': 'Revoke', 'issuer.reason.prompt': 'Give a reason', 'issuer.search': 'Holder code / identifier / number',
  'issuer.holder': 'Holder', 'issuer.actions': 'Actions', 'issuer.done': '{action}: done',
  'types.title': 'License types', 'types.subtitle': 'Register license types (GB/T 36904 type code, fields, holder kind, issuing departments, validity) and link proof items.',
  'types.new': 'Register a type', 'types.edit': 'Edit', 'types.link': 'Link proof items', 'types.code': 'Type code', 'types.name': 'Name', 'types.agency': 'Defining agency',
  'types.holderKind': 'Holder kind', 'types.fields': 'Fields', 'types.departments': 'Issuing departments', 'types.validity': 'Validity', 'types.legalBasis': 'Legal basis',
  'types.count': 'Issued', 'types.proofItems': 'Linked proof items', 'types.years': '{n} years', 'types.none': 'Indefinite', 'types.fieldName': 'Name', 'types.fieldLabel': 'Label',
  'types.fieldType': 'Type', 'types.required': 'Required', 'types.disclosable': 'Selectively disclosable', 'types.enumValues': 'Values (、-separated)', 'types.addField': 'Add field', 'types.saved': 'Saved',
  'types.identifies': 'Content (text fields)', 'types.identifies.person': 'Identity number', 'types.identifies.enterprise': 'USCC', 'types.identifies.none': 'Other number or text',
  'types.identifiesHelp': 'What a text field holds: a field holding another person\'s identity number gives that person an entry in “who used my data” at every use of the license; a USCC or a certificate number is never taken for a person. Not set: a valid identity number is taken for a person.',
  'usage.title': 'Services accepting e-licenses', 'usage.subtitle': 'Service items where an e-license replaces a material, and the e-license association rate by region.', 'usage.type': 'License type', 'usage.region': 'Region',
  'usage.export': 'Export .xlsx', 'usage.item': 'Service item', 'usage.materials': 'Materials replaced', 'usage.rate': 'Association rate', 'usage.linked': 'Linked',
  'usage.total': 'Items with license-kind materials', 'usage.unlinked': 'License-kind proof items not yet linked', 'usage.all': 'All',
  'common.cancel': 'Cancel', 'common.ok': 'OK', 'common.yes': 'Yes', 'common.no': 'No',
};
/** Both dictionaries, for the tests that check them as a whole. */
export const licensesMessages = { zh, en };


export function useLicenseText() {
  const { locale } = useI18n();
  const dict: Record<LicenseMessageKey, string> = locale === 'en' ? en : zh;
  return {
    locale,
    t: (key: LicenseMessageKey, params?: Record<string, string | number>) => format(dict[key], params),
    /** A server message pair in the current language. */
    pick: (zhText: string, enText: string) => (locale === 'en' ? enText : zhText),
  };
}
