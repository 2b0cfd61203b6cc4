/**
 * Texts of the service-item change list (服务事项变更) shown on the draft and in a version comparison,
 * zh-CN first with English, kept beside the component.
 */
import { format, useI18n } from '../shell/i18n/i18n';
import type { ServiceItemChangeField, ServiceItemChangeKind } from './types';

const zh = {
  'title': '服务事项变更',
  'none': '无服务事项变更',
  'count': '共 {count} 项',
  'col.kind': '变更类型',
  'col.code': '编码',
  'col.name': '名称',
  'col.department': '实施部门',
  'col.region': '区划',
  'col.fields': '调整内容',
  'kind.added': '新增',
  'kind.removed': '删除',
  'kind.changed': '修改',
  'field.name': '名称',
  'field.department': '实施部门',
  'field.region': '区划',
  'field.applicantKinds': '服务对象',
  'field.materials': '申请材料',
  'proofTitle': '证明事项变更',
  'proofNone': '无证明事项变更',
};
export type ServiceItemChangesMessageKey = keyof typeof zh;

const en: Record<ServiceItemChangesMessageKey, string> = {
  'title': 'Service item changes',
  'none': 'No service item changes',
  'count': '{count} in total',
  'col.kind': 'Change',
  'col.code': 'Code',
  'col.name': 'Name',
  'col.department': 'Department',
  'col.region': 'Region',
  'col.fields': 'What changed',
  'kind.added': 'Added',
  'kind.removed': 'Removed',
  'kind.changed': 'Changed',
  'field.name': 'Name',
  'field.department': 'Department',
  'field.region': 'Region',
  'field.applicantKinds': 'Who may apply',
  'field.materials': 'Materials',
  'proofTitle': 'Proof item changes',
  'proofNone': 'No proof item changes',
};
/** Both dictionaries, for the tests that check them as a whole. */
export const serviceItemChangesMessages = { zh, en };


export const serviceItemChangeKindColors: Record<ServiceItemChangeKind, string> = {
  added: 'success',
  removed: 'error',
  changed: 'processing',
};

export function useServiceItemChangesText() {
  const { locale } = useI18n();
  const dict: Record<ServiceItemChangesMessageKey, string> = locale === 'en' ? en : zh;
  const t = (key: ServiceItemChangesMessageKey, params?: Record<string, string | number>) => format(dict[key], params);
  return {
    locale,
    t,
    kindLabel: (kind: ServiceItemChangeKind) => t(`kind.${kind}`),
    fieldLabel: (field: ServiceItemChangeField) => t(`field.${field}`),
  };
}
