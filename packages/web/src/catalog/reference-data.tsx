import { useEffect, useMemo, useState } from 'react';
import { Cascader, Select, Space } from 'antd';
import { useApi } from '../api/use-api';
import { useI18n } from '../shell/i18n/i18n';
import { catalogApi } from './catalog-api';
import { MethodTag, useMethodLabel } from './methods';
import { exemptionMethods, type Department, type Region } from './types';

let regionsPromise: Promise<Region[]> | undefined;

/** Regions change rarely: loaded once per page load and shared. */
function loadRegions(): Promise<Region[]> {
  regionsPromise ??= catalogApi.regions().then(
    (r) => r.items,
    (error: unknown) => {
      regionsPromise = undefined;
      throw error;
    },
  );
  return regionsPromise;
}

export function useRegions(): Region[] {
  const [regions, setRegions] = useState<Region[]>([]);
  useEffect(() => {
    let live = true;
    loadRegions().then(
      (items) => live && setRegions(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return regions;
}

export function useDepartments(region: string | undefined): Department[] {
  const { data } = useApi((signal) => catalogApi.departments(region, signal), [region]);
  return data?.items ?? [];
}

interface RegionOption {
  value: string;
  label: string;
  children?: RegionOption[];
}

function buildTree(regions: Region[]): RegionOption[] {
  const byParent = new Map<string, Region[]>();
  const codes = new Set(regions.map((r) => r.code));
  for (const region of regions) {
    const parent = region.parentCode && codes.has(region.parentCode) ? region.parentCode : '';
    const list = byParent.get(parent) ?? [];
    list.push(region);
    byParent.set(parent, list);
  }
  const build = (parent: string): RegionOption[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((region) => {
        const children = build(region.code);
        return children.length ? { value: region.code, label: region.name, children } : { value: region.code, label: region.name };
      });
  return build('');
}

function pathTo(code: string | undefined, regions: Region[]): string[] | undefined {
  if (!code) return undefined;
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const path: string[] = [];
  let current = byCode.get(code);
  while (current && path.length < 6) {
    path.unshift(current.code);
    current = current.parentCode ? byCode.get(current.parentCode) : undefined;
  }
  return path.length ? path : [code];
}

export function RegionCascader({
  value,
  onChange,
  testId = 'region-filter',
  allowClear = true,
  style,
}: {
  value?: string | undefined;
  onChange?: (code: string | undefined) => void;
  testId?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
}) {
  const { t } = useI18n();
  const regions = useRegions();
  const options = useMemo(() => buildTree(regions), [regions]);
  return (
    <Cascader
      options={options}
      value={pathTo(value, regions)}
      changeOnSelect
      allowClear={allowClear}
      showSearch
      placeholder={t('search.regionPlaceholder')}
      aria-label={t('search.region')}
      onChange={(path) => onChange?.(path && path.length ? String(path[path.length - 1]) : undefined)}
      style={style ?? { minWidth: 220 }}
      data-testid={testId}
    />
  );
}

export function DepartmentSelect({
  region,
  value,
  onChange,
  testId = 'department-filter',
  style,
  knownOption,
}: {
  region: string | undefined;
  value?: string | undefined;
  onChange?: (id: string | undefined) => void;
  testId?: string;
  style?: React.CSSProperties;
  /** the current value's label, for when it is not among the region's departments */
  knownOption?: { id: string; name: string };
}) {
  const { t } = useI18n();
  const loaded = useDepartments(region);
  const departments =
    knownOption && !loaded.some((d) => d.id === knownOption.id)
      ? [...loaded, { id: knownOption.id, name: knownOption.name }]
      : loaded;
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      value={value}
      onChange={(id: string | undefined) => onChange?.(id)}
      options={departments.map((d) => ({ value: d.id, label: d.name }))}
      placeholder={t('search.departmentPlaceholder')}
      aria-label={t('search.department')}
      style={style ?? { minWidth: 220 }}
      data-testid={testId}
    />
  );
}

export function MethodSelect({
  value,
  onChange,
  testId = 'method-filter',
}: {
  value: string | undefined;
  onChange: (method: string | undefined) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  const label = useMethodLabel();
  return (
    <Select
      allowClear
      value={value}
      onChange={(method: string | undefined) => onChange(method)}
      placeholder={t('search.methodPlaceholder')}
      aria-label={t('search.method')}
      style={{ minWidth: 180 }}
      options={exemptionMethods.map((method) => ({ value: method, label: label(method) }))}
      optionRender={(option) => (
        <Space>
          <MethodTag method={String(option.value)} />
        </Space>
      )}
      data-testid={testId}
    />
  );
}
