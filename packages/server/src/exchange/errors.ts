import type { ErrorTable } from '../shared/errors.ts';

/**
 * Error codes of the exchange context (EXCHANGE.*), merged into the platform's one map in
 * shared/errors.ts. These are errors of the directory API; a data-sharing query never
 * throws for a denial or an unavailable provider — it ends in an ExchangeOutcome.
 */
export const EXCHANGE_ERRORS = {
  'EXCHANGE.PROVIDER_NOT_FOUND': [404, '数据提供节点不存在', 'No such provider node'],
  'EXCHANGE.ITEM_NOT_FOUND': [404, '该节点未登记此数据项', 'The provider has no such data item'],
  'EXCHANGE.DUPLICATE_PROVIDER': [409, '节点标识已被使用', 'The provider id is already used'],
  'EXCHANGE.NAME_REQUIRED': [422, '请填写节点名称', 'Enter the name of the node'],
  'EXCHANGE.INVALID_ENDPOINT': [422, '节点地址应为 http(s)://主机：端口', 'The endpoint must be an http(s) URL'],
  'EXCHANGE.INVALID_PUBLIC_KEY': [422, '公钥格式不正确（SM2 为 65 字节 04||x||y,Ed25519 为 32 字节，十六进制）', 'Invalid public key (SM2: 65 bytes 04||x||y, Ed25519: 32 bytes, hex)'],
  'EXCHANGE.INVALID_ITEM_DEFINITION': [422, '数据项定义不正确', 'Invalid data item definition'],
  'EXCHANGE.UNKNOWN_PROOF_ITEM': [422, '清单中没有该证明事项', 'No such proof item in the catalog'],
  'EXCHANGE.UNKNOWN_PURPOSE': [422, '未定义的用途', 'Unknown purpose'],
  'EXCHANGE.LAST_KEY': [409, '节点至少需要保留一个有效公钥', 'A provider needs at least one active key'],
  'EXCHANGE.OUT_OF_REGION': [403, '该部门不在您所在区划的管理范围内，只能登记和修改本区划（含下辖区划）部门的数据提供节点', 'This department is outside your region: you register and change only the provider nodes of departments of your region and the regions within it'],
  'EXCHANGE.TRAIL_FAILED': [500, '数据共享留痕写入失败，查询结果未被使用', 'The exchange trail could not be written; the answer was not used'],
} as const satisfies ErrorTable;
