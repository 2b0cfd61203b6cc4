import { Space, Tag } from 'antd';
import { useI18n } from '../shell/i18n/i18n';
import { isExemptionMethod, type ChangeKind, type ExemptionMethod } from './types';

export const methodColors: Record<ExemptionMethod, string> = {
  cancelled: 'green',
  data_sharing: 'blue',
  e_license: 'cyan',
  dept_verification: 'purple',
  commitment: 'orange',
  online_issue: 'geekblue',
  retained: 'red',
};

export const changeColors: Record<ChangeKind, string> = {
  added: 'success',
  removed: 'error',
  method_changed: 'warning',
  legal_basis_changed: 'purple',
  changed: 'processing',
};

export function useMethodLabel(): (method: string) => string {
  const { t } = useI18n();
  return (method) => (isExemptionMethod(method) ? t(`method.${method}`) : method);
}

export function MethodTag({ method }: { method: string }) {
  const label = useMethodLabel();
  const color = isExemptionMethod(method) ? methodColors[method] : 'default';
  return (
    <Tag color={color} data-testid="method-tag" data-method={method} className="mz-method-tag">
      {label(method)}
    </Tag>
  );
}

export function MethodTags({ methods }: { methods: readonly string[] | undefined }) {
  if (!methods || methods.length === 0) return null;
  return (
    <Space size={[0, 4]} wrap>
      {methods.map((method) => (
        <MethodTag key={method} method={method} />
      ))}
    </Space>
  );
}

export function ChangeKindTag({ kind }: { kind: ChangeKind | string }) {
  const { t } = useI18n();
  const known = kind in changeColors;
  return (
    <Tag color={known ? changeColors[kind as ChangeKind] : 'default'} data-testid="change-kind" data-kind={kind}>
      {known ? t(`change.${kind as ChangeKind}`) : kind}
    </Tag>
  );
}
