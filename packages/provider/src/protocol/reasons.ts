/**
 * Why a data-sharing query did not end in an answer. One closed vocabulary shared by the
 * provider node (which rejects) and the platform (which reports outcomes), so a rejection
 * reads the same in the node's trail, the platform's exchange log and the UI.
 */

/** Rejections a provider node gives, with the HTTP status it answers them with. */
export const NODE_REJECTIONS = {
  unsigned: [401, '请求未签名', 'The request is not signed'],
  malformed_request: [400, '请求格式不正确', 'The request is malformed'],
  unknown_consumer: [403, '未登记的调用方', 'Unknown consumer'],
  unknown_key: [401, '调用方密钥未登记', 'The consumer key is not registered'],
  stale: [401, '请求时间戳超出允许范围（±5分钟）', 'The request timestamp is outside the allowed window (±5 min)'],
  digest_mismatch: [401, '请求体摘要不符', 'The body digest does not match the body'],
  bad_signature: [401, '请求签名验证失败', 'The request signature does not verify'],
  replayed: [401, '重复的请求（nonce 已使用）', 'Replayed request (nonce already used)'],
  /** the signed request names another node (x-mz-node), or none where this node requires it */
  wrong_node: [403, '请求不是发给本节点的', 'The request is not addressed to this node'],
  item_not_offered: [404, '本节点不提供该数据项', 'This node does not offer the data item'],
  item_not_allowed: [403, '调用方无权查询该数据项', 'The consumer may not query this data item'],
  purpose_not_allowed: [403, '调用方无权为该用途查询该数据项', 'The consumer may not query this data item for this purpose'],
  invalid_params: [422, '查询参数不符合数据项定义', 'The parameters do not match the data item definition'],
  /**
   * the source holds more records for the query than one answer carries (MAX_RECORDS, or an answer
   * body over MAX_ANSWER_BYTES): refused whole rather than cut, since part of a list reads as all of
   * it. A 4xx — asking again does not help — that the platform reports as unavailable (NODE_UNAVAILABLE)
   */
  too_many_records: [422, '查询结果记录过多，超过一次数据共享可提供的上限（1000 条或 1 MiB），请缩小查询范围或改用部门核验', 'More records than one answer carries (at most 1,000, or 1 MiB); narrow the query or ask the department to verify'],
  source_unavailable: [503, '部门业务数据源暂不可用', 'The department data source is unavailable'],
  /** the node's replay protection is full (maxNonces): it takes no new request until old nonces leave the window */
  busy: [503, '提供节点繁忙，暂不能受理新请求，请稍后重试', 'The provider node is busy and takes no new requests for now; retry later'],
  internal: [500, '提供节点内部错误', 'Internal error of the provider node'],
} as const satisfies Record<string, readonly [number, string, string]>;

export type NodeRejection = keyof typeof NODE_REJECTIONS;

/** Reasons the platform itself denies a query before sending it (directory and input checks). */
export const LOCAL_DENIALS = {
  not_in_directory: ['目录中没有提供该数据项的节点', 'No provider in the directory offers this data item'],
  ambiguous_item: ['有多个节点提供该数据项，请指定提供节点', 'Several providers offer this item; name the provider'],
  consumer_not_allowed: ['目录未授权该部门查询该数据项', 'The directory does not allow this department to query this item'],
  purpose_not_allowed: ['目录未授权该部门为该用途查询该数据项', 'The directory does not allow this department to query this item for this purpose'],
  invalid_params: ['查询参数不符合数据项定义', 'The parameters do not match the data item definition'],
  invalid_request: ['查询请求不完整（用途、办件编号、法律依据必填）', 'Incomplete query (purpose, application reference and legal basis are required)'],
  actor_out_of_scope: ['操作人不属于该调用部门', 'The actor does not belong to the consumer department'],
  no_open_case: ['办件编号不是本部门在办、且以查询对象为当事人的办件（或核验请求、核查任务）', 'The reference names no open case of this department about this subject'],
} as const satisfies Record<string, readonly [string, string]>;

export type LocalDenial = keyof typeof LOCAL_DENIALS;

/** Why no answer could be had: the provider is down, slow, overloaded or answered something unusable. */
export const UNAVAILABLE_REASONS = {
  timeout: ['提供节点响应超时', 'The provider did not answer in time'],
  connection_failed: ['无法连接提供节点', 'Cannot connect to the provider'],
  circuit_open: ['提供节点近期连续失败，已暂停调用（熔断）', 'Calls to the provider are paused after repeated failures (circuit open)'],
  concurrency_limit: ['提供节点并发已满', 'The provider concurrency limit is reached'],
  bad_response: ['提供节点的应答无效或签名验证失败', 'The provider answer is invalid or its signature does not verify'],
  provider_error: ['提供节点内部错误', 'The provider reported an internal error'],
  source_unavailable: ['部门业务数据源暂不可用', 'The department data source is unavailable'],
  provider_busy: ['提供节点繁忙，暂不能受理新请求', 'The provider node is busy and takes no new requests for now'],
  too_many_records: ['查询结果记录过多，超过一次数据共享可提供的上限（1000 条或 1 MiB），请缩小查询范围或改用部门核验', 'More records than one answer carries (at most 1,000, or 1 MiB); narrow the query or ask the department to verify'],
  provider_suspended: ['提供节点已停用', 'The provider is suspended'],
  provider_not_configured: ['提供节点尚未登记公钥', 'The provider has no registered public key'],
} as const satisfies Record<string, readonly [string, string]>;

export type UnavailableReason = keyof typeof UNAVAILABLE_REASONS;

/**
 * Node rejections that are not a refusal of the consumer but mean no usable answer can be had for
 * this query: the platform reports them as `unavailable` with this reason (the application engine
 * then falls back to department verification or commitment). Signed 4xx: never retried.
 */
export const NODE_UNAVAILABLE: Partial<Record<NodeRejection, UnavailableReason>> = { too_many_records: 'too_many_records' };

export type DenialReason = NodeRejection | LocalDenial;

/** zh-CN and English text of any reason code (node rejection, local denial or unavailability). */
export function reasonText(reason: string): { zh: string; en: string } {
  const node = (NODE_REJECTIONS as Record<string, readonly [number, string, string]>)[reason];
  if (node) return { zh: node[1], en: node[2] };
  const local = (LOCAL_DENIALS as Record<string, readonly [string, string]>)[reason] ?? (UNAVAILABLE_REASONS as Record<string, readonly [string, string]>)[reason];
  if (local) return { zh: local[0], en: local[1] };
  return { zh: reason, en: reason };
}

export function isNodeRejection(reason: string): reason is NodeRejection {
  return Object.hasOwn(NODE_REJECTIONS, reason);
}
