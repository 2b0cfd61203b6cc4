/**
 * Texts of the data-sharing pages (数据共享), zh-CN first with English, kept beside the
 * pages (the shell's dictionaries hold only the navigation labels). The language follows
 * the shell's i18n.
 */
import { format, useI18n } from '../../shell/i18n/i18n';

const zh = {
  'outcome.answered': '已应答', 'outcome.not_found': '无记录', 'outcome.denied': '已拒绝', 'outcome.unavailable': '不可用',
  'reason.unsigned': '请求未签名', 'reason.malformed_request': '请求格式不正确', 'reason.unknown_consumer': '未登记的调用方', 'reason.unknown_key': '调用方密钥未登记',
  'reason.stale': '请求时间戳超时', 'reason.digest_mismatch': '请求体摘要不符', 'reason.bad_signature': '签名验证失败', 'reason.replayed': '重放请求', 'reason.busy': '节点繁忙（防重放记录已满）',
  'reason.item_not_offered': '节点不提供该数据项', 'reason.item_not_allowed': '节点未授权该数据项', 'reason.purpose_not_allowed': '用途未获授权', 'reason.invalid_params': '参数不符合定义',
  'reason.source_unavailable': '部门数据源不可用', 'reason.internal': '节点内部错误', 'reason.not_in_directory': '目录中无此数据项', 'reason.ambiguous_item': '多个节点提供该数据项',
  'reason.consumer_not_allowed': '目录未授权该部门', 'reason.invalid_request': '请求不完整', 'reason.actor_out_of_scope': '操作人不属于调用部门', 'reason.no_open_case': '无对应在办事项',
  'reason.timeout': '响应超时', 'reason.connection_failed': '无法连接', 'reason.circuit_open': '已熔断', 'reason.concurrency_limit': '并发已满', 'reason.bad_response': '应答无效或验签失败', 'reason.provider_busy': '提供方节点繁忙',
  'reason.provider_error': '节点错误', 'reason.provider_suspended': '节点已停用', 'reason.provider_not_configured': '节点未登记公钥',
  'reason.too_many_records': '记录过多（超过一次共享的上限）',
  'breaker.closed': '正常', 'breaker.open': '已熔断', 'breaker.half_open': '试探中', 'breaker.isolated': '隔离', 'breaker.unknown': '未调用',
  'status.active': '启用', 'status.suspended': '停用',
  'dir.title': '数据共享目录', 'dir.subtitle': '各部门的数据提供节点、提供的数据项、对应的证明事项、授权的调用部门与用途，以及近 7 天的数据质量。',
  'dir.register': '登记节点', 'dir.node': '节点', 'dir.department': '提供部门', 'dir.endpoint': '节点地址', 'dir.status': '状态', 'dir.breaker': '熔断',
  'dir.availability': '可用率', 'dir.latency': '时延 p50 / p99', 'dir.errorRate': '错误率', 'dir.staleness': '数据时效（中位）', 'dir.calls': '调用量', 'dir.actions': '操作',
  'dir.items': '数据项', 'dir.item': '数据项', 'dir.kind': '类型', 'dir.kind.question': '问答（只回答问题）', 'dir.kind.record': '记录', 'dir.params': '参数', 'dir.answer': '返回字段',
  'dir.proofItems': '满足的证明事项', 'dir.grants': '授权调用部门（用途）', 'dir.keys': '节点公钥', 'dir.rejections': '拒绝与失败（按原因）', 'dir.noRejections': '无',
  'dir.probe': '连通性检查', 'dir.probeOk': '节点应答正常（{ms} ms）', 'dir.probeFail': '节点无应答：{detail}', 'dir.suspend': '停用', 'dir.activate': '启用',
  'dir.edit': '设置', 'dir.editGrants': '授权', 'dir.editProofs': '关联证明', 'dir.nodeConfig': '下载节点调用方配置', 'dir.removeItem': '撤下',
  'dir.removeConfirm': '确定撤下数据项“{name}”？其授权一并删除。', 'dir.saved': '已保存', 'dir.suite': '请求签名算法',
  'dir.timeoutMs': '单次超时（毫秒）', 'dir.maxAttempts': '最多尝试次数', 'dir.concurrency': '并发上限', 'dir.breakerThreshold': '熔断阈值（连续失败次数）', 'dir.breakerHalfOpenMs': '熔断恢复试探（毫秒）',
  'dir.grantDept': '调用部门', 'dir.grantPurposes': '用途', 'dir.addGrant': '添加授权部门', 'dir.discover': '读取节点说明', 'dir.discovered': '已读取：{n} 个数据项，{k} 个公钥',
  'dir.id': '节点标识', 'dir.name': '节点名称', 'dir.publicKey': '公钥', 'dir.keyId': '密钥标识', 'dir.registerHint': '填写节点地址后点击“读取节点说明”，核对公钥指纹（向部门线下确认）后登记。',
  'dir.none': '—', 'dir.seconds': '{n} 秒', 'dir.minutes': '{n} 分钟', 'dir.hours': '{n} 小时', 'dir.days': '{n} 天', 'dir.readOnly': '督查人员只读',
  'dir.outOfRegion': '该节点属于{dept}（{region}），不在您的管理范围（{scope}）内，只能修改本区划（含下辖区划）部门的节点',
  'dir.scope': '您可登记和修改{region}（含下辖区划）部门的数据提供节点，其他节点只读', 'dir.departmentScope': '只能选择{region}（含下辖区划）的部门',
  'log.title': '数据共享调用日志', 'log.subtitle': '平台侧的每一次数据共享调用：调用部门、用途、办件、法律依据、结果、请求与应答摘要。',
  'log.provider': '提供节点', 'log.item': '数据项', 'log.consumer': '调用部门', 'log.outcome': '结果', 'log.reason': '原因', 'log.applicationRef': '办件编号',
  'log.subject': '数据主体证件号', 'log.purpose': '用途', 'log.range': '时间', 'log.search': '查询', 'log.reset': '重置', 'log.at': '时间', 'log.subjectMask': '数据主体',
  'log.legalBasis': '法律依据', 'log.latency': '耗时', 'log.attempts': '尝试', 'log.asOf': '数据截至', 'log.requestDigest': '请求摘要（SM3）', 'log.responseDigest': '应答摘要（SM3）',
  'log.providerKey': '节点签名密钥', 'log.httpStatus': 'HTTP 状态', 'log.sent': '已发送至节点', 'log.notSent': '平台拒绝，未发送', 'log.detail': '说明', 'log.suite': '签名算法',
  'query.title': '数据共享查询', 'query.subtitle': '为办件向证明开具部门查询数据：每次查询都签名、限定用途、留痕，数据主体可以查看。',
  'query.item': '数据项', 'query.purpose': '用途', 'query.applicationRef': '办件编号', 'query.applicationRefHelp': '须为本部门在办、以查询对象为申请人的办件；部门核验、事后核查时填写对应核验请求或核查任务的办件编号。', 'query.legalBasis': '法律依据', 'query.submit': '查询',
  'query.noItems': '本部门尚未获得任何数据项的授权', 'query.result': '查询结果', 'query.asOf': '数据截至', 'query.provider': '提供节点', 'query.evidence': '签名凭证',
  'query.signedBy': '由 {key} 签名（{suite}）', 'query.records': '共 {n} 条记录', 'query.noRecords': '无记录', 'query.yes': '是', 'query.no': '否', 'query.latency': '耗时 {ms} ms，尝试 {n} 次',
  'me.title': '谁用了我的数据', 'me.subtitle': '每一次使用您的数据都有记录：哪个部门、何时、用了什么、为哪个办件、依据什么。',
  'me.at': '时间', 'me.who': '使用部门', 'me.what': '数据', 'me.purpose': '用途', 'me.application': '办件编号', 'me.legalBasis': '依据', 'me.outcome': '结果', 'me.empty': '暂无使用记录',
  'me.onBehalfOf': '代办', 'me.namedAs': '证照中列明您为：{field}', 'me.namedAsInAnswer': '共享数据中列明您为：{field}', 'me.namedAsInRecord': '共享数据第 {record} 条记录中列明您为：{field}', 'common.cancel': '取消', 'common.ok': '确定', 'common.all': '全部',
};

export type ExchangeMessageKey = keyof typeof zh;

const en: Record<ExchangeMessageKey, string> = {
  'outcome.answered': 'Answered', 'outcome.not_found': 'No record', 'outcome.denied': 'Denied', 'outcome.unavailable': 'Unavailable',
  'reason.unsigned': 'Unsigned', 'reason.malformed_request': 'Malformed request', 'reason.unknown_consumer': 'Unknown consumer', 'reason.unknown_key': 'Unknown consumer key',
  'reason.stale': 'Stale timestamp', 'reason.digest_mismatch': 'Body digest mismatch', 'reason.bad_signature': 'Bad signature', 'reason.replayed': 'Replayed', 'reason.busy': 'Node busy (replay store full)',
  'reason.item_not_offered': 'Item not offered', 'reason.item_not_allowed': 'Item not allowed', 'reason.purpose_not_allowed': 'Purpose not allowed', 'reason.invalid_params': 'Invalid parameters',
  'reason.source_unavailable': 'Source unavailable', 'reason.internal': 'Node internal error', 'reason.not_in_directory': 'Not in the directory', 'reason.ambiguous_item': 'Several providers',
  'reason.consumer_not_allowed': 'Department not granted', 'reason.invalid_request': 'Incomplete request', 'reason.actor_out_of_scope': 'Actor out of scope', 'reason.no_open_case': 'No open case',
  'reason.timeout': 'Timeout', 'reason.connection_failed': 'Connection failed', 'reason.circuit_open': 'Circuit open', 'reason.concurrency_limit': 'Concurrency limit', 'reason.bad_response': 'Bad or unverifiable answer', 'reason.provider_busy': 'Provider node busy',
  'reason.provider_error': 'Provider error', 'reason.provider_suspended': 'Provider suspended', 'reason.provider_not_configured': 'No provider key',
  'reason.too_many_records': 'Too many records for one answer',
  'breaker.closed': 'Closed', 'breaker.open': 'Open', 'breaker.half_open': 'Half open', 'breaker.isolated': 'Isolated', 'breaker.unknown': 'Not called yet',
  'status.active': 'Active', 'status.suspended': 'Suspended',
  'dir.title': 'Data-sharing directory', 'dir.subtitle': 'Provider nodes of the departments, the items they offer, the proof items those satisfy, the departments allowed to ask and for which purposes, and 7-day data quality.',
  'dir.register': 'Register a node', 'dir.node': 'Node', 'dir.department': 'Department', 'dir.endpoint': 'Endpoint', 'dir.status': 'Status', 'dir.breaker': 'Breaker',
  'dir.availability': 'Availability', 'dir.latency': 'Latency p50 / p99', 'dir.errorRate': 'Error rate', 'dir.staleness': 'Staleness (median)', 'dir.calls': 'Calls', 'dir.actions': 'Actions',
  'dir.items': 'Data items', 'dir.item': 'Item', 'dir.kind': 'Kind', 'dir.kind.question': 'Question (answers only the question)', 'dir.kind.record': 'Record', 'dir.params': 'Parameters', 'dir.answer': 'Answer fields',
  'dir.proofItems': 'Proof items satisfied', 'dir.grants': 'Departments allowed (purposes)', 'dir.keys': 'Node public keys', 'dir.rejections': 'Rejections and failures by reason', 'dir.noRejections': 'None',
  'dir.probe': 'Check', 'dir.probeOk': 'The node answers ({ms} ms)', 'dir.probeFail': 'No answer: {detail}', 'dir.suspend': 'Suspend', 'dir.activate': 'Activate',
  'dir.edit': 'Settings', 'dir.editGrants': 'Grants', 'dir.editProofs': 'Proof items', 'dir.nodeConfig': 'Download the node\'s consumers file', 'dir.removeItem': 'Withdraw',
  'dir.removeConfirm': 'Withdraw "{name}"? Its grants are removed too.', 'dir.saved': 'Saved', 'dir.suite': 'Request signature suite',
  'dir.timeoutMs': 'Timeout per attempt (ms)', 'dir.maxAttempts': 'Max attempts', 'dir.concurrency': 'Concurrency limit', 'dir.breakerThreshold': 'Breaker threshold (consecutive failures)', 'dir.breakerHalfOpenMs': 'Breaker half-open after (ms)',
  'dir.grantDept': 'Department', 'dir.grantPurposes': 'Purposes', 'dir.addGrant': 'Add a department', 'dir.discover': 'Read node description', 'dir.discovered': 'Read: {n} items, {k} keys',
  'dir.id': 'Node id', 'dir.name': 'Node name', 'dir.publicKey': 'Public key', 'dir.keyId': 'Key id', 'dir.registerHint': 'Enter the endpoint and read the node description; confirm the key fingerprint with the department out of band before registering.',
  'dir.none': '—', 'dir.seconds': '{n} s', 'dir.minutes': '{n} min', 'dir.hours': '{n} h', 'dir.days': '{n} d', 'dir.readOnly': 'Read-only for supervisors',
  'dir.outOfRegion': 'This node belongs to {dept} ({region}), outside your region ({scope}): you change only the nodes of departments of your region and the regions within it',
  'dir.scope': 'You register and change the provider nodes of departments of {region} and the regions within it; the other nodes are read-only', 'dir.departmentScope': 'Departments of {region} and the regions within it only',
  'log.title': 'Exchange log', 'log.subtitle': 'Every data-sharing query on the platform side: consumer, purpose, application, legal basis, outcome, request and answer digests.',
  'log.provider': 'Provider', 'log.item': 'Item', 'log.consumer': 'Consumer', 'log.outcome': 'Outcome', 'log.reason': 'Reason', 'log.applicationRef': 'Application',
  'log.subject': 'Subject ID number', 'log.purpose': 'Purpose', 'log.range': 'Time', 'log.search': 'Search', 'log.reset': 'Reset', 'log.at': 'Time', 'log.subjectMask': 'Subject',
  'log.legalBasis': 'Legal basis', 'log.latency': 'Latency', 'log.attempts': 'Attempts', 'log.asOf': 'Data as of', 'log.requestDigest': 'Request digest (SM3)', 'log.responseDigest': 'Answer digest (SM3)',
  'log.providerKey': 'Node signing key', 'log.httpStatus': 'HTTP status', 'log.sent': 'Sent to the node', 'log.notSent': 'Denied by the platform, not sent', 'log.detail': 'Detail', 'log.suite': 'Signature suite',
  'query.title': 'Data-sharing query', 'query.subtitle': 'Ask the issuing department\'s data for an application: every query is signed, purpose-bound and logged, and the data subject can read it.',
  'query.item': 'Data item', 'query.purpose': 'Purpose', 'query.applicationRef': 'Application number', 'query.applicationRefHelp': 'An application your department has in hand whose applicant is the subject; for a department verification or a post-check, the application number of that request or task.', 'query.legalBasis': 'Legal basis', 'query.submit': 'Query',
  'query.noItems': 'Your department has no granted data item', 'query.result': 'Result', 'query.asOf': 'Data as of', 'query.provider': 'Provider', 'query.evidence': 'Signature',
  'query.signedBy': 'Signed by {key} ({suite})', 'query.records': '{n} records', 'query.noRecords': 'No records', 'query.yes': 'Yes', 'query.no': 'No', 'query.latency': '{ms} ms, {n} attempt(s)',
  'me.title': 'Who used my data', 'me.subtitle': 'Every use of your data is recorded: which department, when, what, for which application, on which basis.',
  'me.at': 'Time', 'me.who': 'Used by', 'me.what': 'Data', 'me.purpose': 'Purpose', 'me.application': 'Application', 'me.legalBasis': 'Basis', 'me.outcome': 'Outcome', 'me.empty': 'No use recorded',
  'me.onBehalfOf': 'On behalf', 'me.namedAs': 'Names you as: {field}', 'me.namedAsInAnswer': 'Names you as: {field}', 'me.namedAsInRecord': 'Record {record} names you as: {field}', 'common.cancel': 'Cancel', 'common.ok': 'OK', 'common.all': 'All',
};
/** Both dictionaries, for the tests that check them as a whole. */
export const exchangeMessages = { zh, en };


export function useExchangeText() {
  const { locale } = useI18n();
  const dict: Record<ExchangeMessageKey, string> = locale === 'en' ? en : zh;
  return {
    locale,
    t: (key: ExchangeMessageKey, params?: Record<string, string | number>) => format(dict[key], params),
    /** a reason code (node rejection, local denial, unavailability) in the current language */
    reason: (code: string | null | undefined) => (code ? ((dict as Record<string, string>)[`reason.${code}`] ?? code) : ''),
    pick: (zhText: string, enText: string) => (locale === 'en' ? enText : zhText),
  };
}
