/**
 * 谁用了我的数据 tags an entry whose data names the reader: with the record of a many-record
 * answer when the entry knows where (第 3 条记录), the field's label otherwise; the path on hover.
 */
import { describe, expect, it } from 'vitest';
import { namedAsTag } from '../src/pages/exchange/named-as';

describe('the named-as tag of an access-log entry', () => {
  it('names the record of a many-record answer (counted from 1) and the field\'s label; the path is the hover text', () => {
    expect(namedAsTag({ dataItem: 'exchange:household-members', namedAs: { field: 'memberIdNumber', label: '成员公民身份号码', path: 'records[2].memberIdNumber', record: 3 } }))
      .toEqual({ key: 'me.namedAsInRecord', params: { record: 3, field: '成员公民身份号码' }, hover: 'records[2].memberIdNumber' });
  });

  it('a single-record answer or a license: the field\'s label, as before; an entry written before paths were kept shows the field on hover', () => {
    expect(namedAsTag({ dataItem: 'exchange:birth-record-parents', namedAs: { field: 'fatherIdNumber', label: '父亲公民身份号码', path: 'fatherIdNumber', record: null } }))
      .toEqual({ key: 'me.namedAsInAnswer', params: { field: '父亲公民身份号码' }, hover: 'fatherIdNumber' });
    expect(namedAsTag({ dataItem: 'license:11100000000013338W001', namedAs: { field: 'spouseIdNumber', label: '配偶身份证件号', path: null, record: null } }))
      .toEqual({ key: 'me.namedAs', params: { field: '配偶身份证件号' }, hover: 'spouseIdNumber' });
  });

  it('the reader\'s own data has no tag', () => {
    expect(namedAsTag({ dataItem: 'exchange:marriage-status', namedAs: null })).toBeNull();
  });
});
