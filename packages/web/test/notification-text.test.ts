/** 我的消息 in the reader's language: English when the notice has it, its zh-CN otherwise (notices written before English was kept). */
import { describe, expect, it } from 'vitest';
import { notificationText } from '../src/pages/applications/notification-text';

const decided = {
  title: '办件 MAS-1 不予许可', body: '"户口迁移登记":不予许可。理由:迁入地址不在本辖区',
  titleEn: 'Application MAS-1 rejected', bodyEn: '"户口迁移登记": Rejected. Reason: 迁入地址不在本辖区',
};

describe('notificationText', () => {
  it('shows zh-CN in Chinese and English in English', () => {
    expect(notificationText(decided, 'zh-CN')).toEqual({ title: decided.title, body: decided.body, lang: 'zh-CN' });
    expect(notificationText(decided, 'en')).toEqual({ title: decided.titleEn, body: decided.bodyEn, lang: 'en' });
  });

  it('shows a notice written before English was kept in Chinese, in either language', () => {
    const old = { title: '请签署告知承诺书', body: '办件 MAS-0 中的"婚姻状况证明"可以告知承诺方式办理', titleEn: null, bodyEn: null };
    expect(notificationText(old, 'en')).toEqual({ title: old.title, body: old.body, lang: 'zh-CN' });
    expect(notificationText(old, 'zh-CN')).toEqual({ title: old.title, body: old.body, lang: 'zh-CN' });
  });

  it('never mixes the languages of a title and its body', () => {
    expect(notificationText({ ...decided, bodyEn: null }, 'en')).toEqual({ title: decided.title, body: decided.body, lang: 'zh-CN' });
  });
});
