/**
 * A 4xx naming a field is shown under the form field it names: an element of a list under the
 * list, and every violation an error lists in `details` under its own field.
 */
import { describe, expect, it } from 'vitest';
import type { FormInstance } from 'antd';
import { formFieldErrors, formFieldOf } from '../src/api/form-errors';
import { ApiError } from '../src/api/http';

interface Values { agentUsername: string; serviceItemCodes: string[]; holderCode: string; f_date: string }

function fakeForm() {
  const set: { name: unknown; errors: string[] }[] = [];
  const form = { setFields: (fields: { name: unknown; errors: string[] }[]) => set.push(...fields) } as unknown as FormInstance<Values>;
  return { form, set };
}

describe('formFieldOf', () => {
  it('maps an API field, an element of a list to the list, and nothing it does not know', () => {
    const fields = { agentUsername: 'agentUsername', serviceItemCodes: 'serviceItemCodes' } as const;
    expect(formFieldOf<Values>(fields, 'agentUsername')).toBe('agentUsername');
    expect(formFieldOf<Values>(fields, 'serviceItemCodes.1')).toBe('serviceItemCodes');
    expect(formFieldOf<Values>(fields, 'serviceItemCodes[0]')).toBe('serviceItemCodes');
    expect(formFieldOf<Values>(fields, 'validUntil')).toBeUndefined();
    expect(formFieldOf<Values>(fields, 'toString')).toBeUndefined();
    expect(formFieldOf<Values>(fields, undefined)).toBeUndefined();
  });

  it('takes a function for fields that follow data', () => {
    const map = (f: string) => (f === 'holder.code' ? 'holderCode' as const : f.startsWith('fields.') ? `f_${f.slice(7)}` as 'f_date' : undefined);
    expect(formFieldOf<Values>(map, 'holder.code')).toBe('holderCode');
    expect(formFieldOf<Values>(map, 'fields.date')).toBe('f_date');
  });
});

describe('formFieldErrors', () => {
  it('puts the error under its field, in the language asked, and nothing above the form', () => {
    const { form, set } = fakeForm();
    const elsewhere: ApiError[] = [];
    const error = new ApiError(422, { code: 'AGENT.NOT_AN_AGENT', message: '该账号不是帮办代办人员', messageEn: 'Not an agent', field: 'agentUsername' });
    formFieldErrors(form, { agentUsername: 'agentUsername' }, 'en', (e) => elsewhere.push(e))(error, error);
    expect(set).toEqual([{ name: 'agentUsername', errors: ['Not an agent'] }]);
    expect(elsewhere).toEqual([]);
  });

  it('shows each further violation of details under its own field', () => {
    const { form, set } = fakeForm();
    const error = new ApiError(400, {
      code: 'LICENSE.HOLDER_CODE_INVALID', message: '公民身份号码校验失败', messageEn: 'Identity number fails its check', field: 'holder.code',
      details: [
        { field: 'holder.code', code: 'LICENSE.HOLDER_CODE_INVALID', message: '公民身份号码校验失败', messageEn: 'Identity number fails its check' },
        { field: 'fields.date', code: 'LICENSE.FIELDS_INVALID', message: '日期格式不正确', messageEn: 'Not a date' },
        { field: 'unknown', code: 'X', message: '别处', messageEn: 'elsewhere' },
      ],
    });
    const map = (f: string) => (f === 'holder.code' ? 'holderCode' as const : f.startsWith('fields.') ? `f_${f.slice(7)}` as 'f_date' : undefined);
    formFieldErrors<Values>(form, map, 'zh-CN', () => undefined)(error, error);
    expect(set).toEqual([{ name: 'holderCode', errors: ['公民身份号码校验失败'] }, { name: 'f_date', errors: ['日期格式不正确'] }]);
  });

  it('sends an error naming no field of the form elsewhere, and throws what is no API error', () => {
    const { form, set } = fakeForm();
    const elsewhere: ApiError[] = [];
    const error = new ApiError(409, { code: 'X.CONFLICT', message: '冲突', field: 'id' });
    formFieldErrors(form, { agentUsername: 'agentUsername' }, 'zh-CN', (e) => elsewhere.push(e))(error, error);
    expect(elsewhere).toEqual([error]);
    expect(set).toEqual([]);
    const bug = new TypeError('boom');
    expect(() => formFieldErrors(form, {}, 'zh-CN', () => undefined)(new ApiError(0, { code: 'CLIENT.UNEXPECTED', message: 'boom' }), bug)).toThrow(bug);
  });
});
