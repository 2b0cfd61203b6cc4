import type { AccessEntry } from './exchange-api';
import type { ExchangeMessageKey } from './messages';

/**
 * The tag 谁用了我的数据 puts on an entry whose data was someone else's but names the reader:
 * which record of a many-record answer (共享数据第 3 条记录中列明您为:成员公民身份号码) when the
 * entry knows it, else which field (证照中列明您为:配偶身份证件号); the exact path
 * (`records[2].memberIdNumber`) is the tag's hover text. Null when the data was the reader's own.
 */
export function namedAsTag(entry: Pick<AccessEntry, 'dataItem' | 'namedAs'>): { key: ExchangeMessageKey; params: Record<string, string | number>; hover: string } | null {
  const n = entry.namedAs;
  if (!n) return null;
  const hover = n.path ?? n.field;
  if (n.record !== null) return { key: 'me.namedAsInRecord', params: { record: n.record, field: n.label }, hover };
  return { key: entry.dataItem.startsWith('exchange:') ? 'me.namedAsInAnswer' : 'me.namedAs', params: { field: n.label }, hover };
}
