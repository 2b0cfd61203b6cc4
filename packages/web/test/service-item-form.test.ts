/**
 * The service-item form's data: an item's materials become rows in order and rows become what
 * the API takes (a proof item's material without a name of its own sends none), a server error's
 * field is shown on the row it names, and a material is offered only the proof items that apply
 * to the department's region.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/http';
import {
  SERVICE_ITEM_CODE,
  fieldErrorsOf,
  formPathOf,
  proofItemApplies,
  proofItemOptions,
  toCreateInput,
  toFormValues,
  toMaterialInputs,
  toPatch,
  type MaterialRow,
} from '../src/catalog/admin/service-item-form';
import type { DraftProofItem, DraftServiceItem } from '../src/catalog/types';

const item: DraftServiceItem = {
  code: '340500-JHDJ',
  name: '结婚登记',
  departmentId: 'mas-mz',
  departmentName: '马鞍山市民政局',
  regionCode: '340500',
  regionName: '马鞍山市',
  applicantKinds: ['person'],
  mayChange: true,
  activeAuthorizations: 0,
  materials: [
    { id: 'M03', position: 3, name: '婚姻状况声明', proofItemId: 'ZM-MAS-HYZK', proofItemName: '婚姻状况证明', required: false },
    { id: 'M01', position: 1, name: '结婚登记申请表', proofItemId: null, proofItemName: null, required: true },
    { id: 'M02', position: 2, name: '居民身份信息证明', proofItemId: 'ZM-MAS-SFXX', proofItemName: '居民身份信息证明', required: true },
  ],
};

function proof(id: string, regionCode: string, name = id): DraftProofItem {
  return { id, name, regionCode, issuingDepartmentId: 'd', issuingDepartmentName: `${regionCode}部门`, legalBasis: '', methods: ['data_sharing'] };
}

describe('the form values of a service item', () => {
  it('lists the materials by position; a proof item\'s material keeps only a name that differs from the proof item\'s', () => {
    const values = toFormValues(item);
    expect(values).toMatchObject({ code: '340500-JHDJ', name: '结婚登记', departmentId: 'mas-mz', applicantKinds: ['person'] });
    expect(values.materials).toEqual([
      { id: 'M01', kind: 'form', name: '结婚登记申请表', required: true },
      { id: 'M02', kind: 'proof', proofItemId: 'ZM-MAS-SFXX', name: undefined, required: true },
      { id: 'M03', kind: 'proof', proofItemId: 'ZM-MAS-HYZK', name: '婚姻状况声明', required: false },
    ]);
    // the item's own list is not reordered
    expect(item.materials.map((m) => m.id)).toEqual(['M03', 'M01', 'M02']);
  });

  it('starts a new item empty: no applicant kind is assumed', () => {
    expect(toFormValues(undefined)).toEqual({ code: '', name: '', departmentId: undefined, applicantKinds: [], materials: [] });
  });

  it('sends rows in their order, an existing material with its id, a form with a null proof item', () => {
    const rows: MaterialRow[] = [
      { kind: 'proof', proofItemId: 'ZM-MAS-HYZK', name: '  ', required: true },
      { id: 'M01', kind: 'form', name: ' 申请表 ', required: false },
      { id: 'M03', kind: 'proof', proofItemId: 'ZM-MAS-SFXX', name: '身份证', required: true },
    ];
    expect(toMaterialInputs(rows)).toEqual([
      { proofItemId: 'ZM-MAS-HYZK', required: true },
      { id: 'M01', proofItemId: null, name: '申请表', required: false },
      { id: 'M03', proofItemId: 'ZM-MAS-SFXX', name: '身份证', required: true },
    ]);
  });

  it('creates with the code; edits everything but the code', () => {
    const values = { ...toFormValues(item), code: ' 340500-X1 ', name: ' 结婚登记(新) ' };
    const created = toCreateInput(values);
    expect(created.code).toBe('340500-X1');
    expect(created.name).toBe('结婚登记(新)');
    const patch = toPatch(values);
    expect(patch).not.toHaveProperty('code');
    expect(patch).toMatchObject({ name: '结婚登记(新)', departmentId: 'mas-mz', applicantKinds: ['person'] });
    expect(patch.materials.map((m) => m.id)).toEqual(['M01', 'M02', 'M03']);
  });

  it('checks a code as the server does', () => {
    for (const ok of ['340500-E2E123', 'abc', 'A.b_c-1', 'x'.repeat(64)]) expect(SERVICE_ITEM_CODE.test(ok), ok).toBe(true);
    for (const bad of ['ab', '-abc', '.abc', 'ab c', '编码123', 'x'.repeat(65), 'abc/def']) expect(SERVICE_ITEM_CODE.test(bad), bad).toBe(false);
  });
});

describe('where a server error is shown', () => {
  const rows: Pick<MaterialRow, 'kind'>[] = [{ kind: 'form' }, { kind: 'proof' }];

  it('on the field or the row it names', () => {
    expect(formPathOf('code', rows)).toEqual(['code']);
    expect(formPathOf('departmentId', rows)).toEqual(['departmentId']);
    expect(formPathOf('applicantKinds.1', rows)).toEqual(['applicantKinds']);
    expect(formPathOf('materials.1.proofItemId', rows)).toEqual(['materials', 1, 'proofItemId']);
    expect(formPathOf('materials.1.name', rows)).toEqual(['materials', 1, 'name']);
    expect(formPathOf('materials.0.name', rows)).toEqual(['materials', 0, 'name']);
    // a form has no proof item: its name is the row's field
    expect(formPathOf('materials.0.proofItemId', rows)).toEqual(['materials', 0, 'name']);
    expect(formPathOf('materials.1', rows)).toEqual(['materials', 1, 'proofItemId']);
    expect(formPathOf('materials.1.required', rows)).toEqual(['materials', 1, 'proofItemId']);
  });

  it('above the form when it names no field the form shows', () => {
    expect(formPathOf(undefined, rows)).toBeUndefined();
    expect(formPathOf('materials', rows)).toBeUndefined();
    expect(formPathOf('materials.5.name', rows)).toBeUndefined();
    expect(formPathOf('regionCode', rows)).toBeUndefined();
    expect(formPathOf('toString', rows)).toBeUndefined();
  });

  it('with each further violation the error lists, in the language asked', () => {
    const error = new ApiError(422, {
      code: 'CATALOG.MATERIAL_NAME_REQUIRED', message: '请填写材料名称', messageEn: 'Enter the material\'s name', field: 'materials.0.name',
      details: { violations: [
        { code: 'CATALOG.MATERIAL_NAME_REQUIRED', field: 'materials.0.name' },
        { code: 'CATALOG.MATERIAL_NAME_REQUIRED', field: 'materials.2.name' },
        { code: 'CATALOG.DUPLICATE_MATERIAL', field: 'materials.3.proofItemId', message: '第 4 项材料与第 2 项是同一证明事项', messageEn: 'Material 4 is material 2' },
        { code: 'CATALOG.SERVICE_ITEM_NAME_REQUIRED', field: 'name' },
      ] },
    });
    expect(fieldErrorsOf(error, 'en')).toEqual([
      { field: 'materials.0.name', text: 'Enter the material\'s name' },
      { field: 'materials.2.name', text: 'Enter the material\'s name' },
      { field: 'materials.3.proofItemId', text: 'Material 4 is material 2' },
    ]);
    expect(fieldErrorsOf(error, 'zh-CN')[2]).toEqual({ field: 'materials.3.proofItemId', text: '第 4 项材料与第 2 项是同一证明事项' });
    expect(fieldErrorsOf(new ApiError(409, { code: 'CATALOG.SERVICE_ITEM_IN_BUNDLE', message: '属于一件事' }), 'zh-CN')).toEqual([]);
  });
});

describe('the proof items a material may name', () => {
  it('are those of the department\'s region, the regions above it and those within it', () => {
    expect(proofItemApplies('340500', '340500')).toBe(true);
    expect(proofItemApplies('340000', '340500')).toBe(true);
    expect(proofItemApplies('340503', '340500')).toBe(true);
    expect(proofItemApplies('340100', '340500')).toBe(false);
    expect(proofItemApplies('340103', '340500')).toBe(false);
  });

  it('are grouped by region, the department\'s own first; another row\'s choice is disabled, the row\'s own kept', () => {
    const items = [proof('HF-1', '340100'), proof('AH-1', '340000'), proof('MAS-1', '340500', '婚姻状况证明'), proof('MAS-2', '340500'), proof('HF-2', '340100')];
    const names: Record<string, string> = { '340000': '安徽省', '340100': '合肥市', '340500': '马鞍山市' };
    const groups = proofItemOptions(items, { departmentRegion: '340500', current: 'HF-2', chosenElsewhere: new Set(['MAS-2', 'HF-2']), regionName: (c) => names[c] ?? c });
    expect(groups.map((g) => g.label)).toEqual(['马鞍山市', '安徽省', '合肥市']);
    expect(groups[0]!.options).toEqual([
      { value: 'MAS-1', label: '婚姻状况证明 · 340500部门' },
      { value: 'MAS-2', label: 'MAS-2 · 340500部门', disabled: true },
    ]);
    // 合肥's HF-1 does not apply; HF-2 is this row's current choice, shown so it reads by name
    expect(groups[2]!.options.map((o) => o.value)).toEqual(['HF-2']);

    // no department chosen yet: every proof item, by region code
    const all = proofItemOptions(items, { regionName: (c) => names[c] ?? c });
    expect(all.map((g) => g.regionCode)).toEqual(['340000', '340100', '340500']);
    expect(all.flatMap((g) => g.options).length).toBe(5);
  });
});
