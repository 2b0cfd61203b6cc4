import { describe, expect, it } from 'vitest';
import {
  parseApplicantKinds, parseMaterials, parseServiceItemSpreadsheet,
} from '../../src/catalog/spreadsheet/parse-service-item-spreadsheet.ts';
import { SpreadsheetError } from '../../src/catalog/spreadsheet/types.ts';
import { csvText, gbkEncode, xlsx, xlsxOf } from '../catalog-spreadsheet/helpers.ts';

const HEADER = ['序号', '事项编码', '事项名称', '实施部门', '服务对象', '申请材料', '备注'];

async function expectSpreadsheetError(p: Promise<unknown>, code: string): Promise<SpreadsheetError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(SpreadsheetError);
  expect((e as SpreadsheetError).code).toBe(code);
  return e as SpreadsheetError;
}

describe('parseServiceItemSpreadsheet: CSV', () => {
  const rows = [
    ['马鞍山市政务服务事项清单（2024年版）'],
    ['填报单位：马鞍山市数据资源局'],
    HEADER,
    ['1', '340500-001-A', '教师资格认定', '马鞍山市教育局', '自然人', '1.身份证；2.学历证书（如有）\n3.体检表(必填)', ''],
    ['2', 'ＡＢＣ１２３', '道路运输经营许可', '马鞍山市交通运输局', '企业、个体工商户', '', '无材料'],
    ['3', 'X-9', '公共租赁住房资格审核', '马鞍山市住房和城乡建设局', '全部', '①申请表 ②户口簿（选填）', ''],
    [],
    ['注：本清单由各部门报送。'],
    ['', '编码仅供参考', '', '', '', '', ''],
  ];
  const expected = {
    rows: [
      {
        row: 4, code: '340500-001-A', name: '教师资格认定', department: '马鞍山市教育局', applicantKinds: ['person'],
        materials: [{ name: '身份证', required: true }, { name: '学历证书', required: false }, { name: '体检表', required: true }],
      },
      { row: 5, code: 'ABC123', name: '道路运输经营许可', department: '马鞍山市交通运输局', applicantKinds: ['enterprise'], materials: [] },
      {
        row: 6, code: 'X-9', name: '公共租赁住房资格审核', department: '马鞍山市住房和城乡建设局', applicantKinds: ['person', 'enterprise'],
        materials: [{ name: '申请表', required: true }, { name: '户口簿', required: false }],
      },
    ],
    errors: [],
    columns: { code: '事项编码', name: '事项名称', department: '实施部门', applicantKinds: '服务对象', materials: '申请材料' },
    headerRow: 3,
    sheetName: '事项清单',
  };

  it('reads UTF-8 (with a BOM) below title rows, skipping the note rows at the bottom', async () => {
    const data = Buffer.from(`\uFEFF${csvText(rows)}`, 'utf8');
    expect(await parseServiceItemSpreadsheet(data, '事项清单.csv')).toEqual(expected);
  });

  it('reads GB18030/GBK the same', async () => {
    // ①② and full-width letters are outside the two-byte table: keep those to the UTF-8 case.
    const gbRows = rows.map((r) => r.map((c) => c.replace('①申请表 ②户口簿（选填）', '(1)申请表 (2)户口簿（选填）').replace('ＡＢＣ１２３', 'ABC123')));
    expect(await parseServiceItemSpreadsheet(gbkEncode(csvText(gbRows)), '事项清单.csv')).toEqual(expected);
  });

  it('accepts the header synonyms, in any order, and reports errors under the header text as found', async () => {
    const data = Buffer.from(csvText([
      ['实施编码', '所属区划', '服务对象 ', '政务服务事项名称', '实施主体', '所需材料'],
      ['S001', '340500', '法人和其他组织', '', '市场监管局', '营业执照'],
    ]), 'utf8');
    const result = await parseServiceItemSpreadsheet(data, 'a.csv');
    expect(result.columns).toEqual({ code: '实施编码', name: '政务服务事项名称', department: '实施主体', applicantKinds: '服务对象', materials: '所需材料' });
    expect(result.rows).toEqual([{ row: 2, code: 'S001', name: '', department: '市场监管局', applicantKinds: ['enterprise'], materials: [{ name: '营业执照', required: true }] }]);
    expect(result.errors).toEqual([{ row: 2, column: '政务服务事项名称', code: 'IMPORT.REQUIRED', reason: '“政务服务事项名称”不能为空', reasonEn: '"政务服务事项名称" must not be empty' }]);
  });

  it('prefers 事项编码 over 基本编码 when both are present, and matches headers with full-width brackets and spaces', async () => {
    const data = Buffer.from(csvText([
      ['基本编码', '事项编码（必填）', '事 项 名 称', '办理部门', '适用对象', '办理材料'],
      ['B1', 'E001', '事项甲', '部门甲', '个人', ''],
    ]), 'utf8');
    const result = await parseServiceItemSpreadsheet(data, 'b.csv');
    expect(result.columns.code).toBe('事项编码（必填）');
    expect(result.rows[0]?.code).toBe('E001');
    expect(result.rows[0]?.name).toBe('事项甲');
  });

  it('without a materials column, every row has no materials and the column keeps its default name', async () => {
    const data = Buffer.from(csvText([['事项编码', '事项名称', '受理部门', '面向对象'], ['C01', '事项', '部门', '企业']]), 'utf8');
    const result = await parseServiceItemSpreadsheet(data, 'c.csv');
    expect(result.rows).toEqual([{ row: 2, code: 'C01', name: '事项', department: '部门', applicantKinds: ['enterprise'], materials: [] }]);
    expect(result.columns.materials).toBe('申请材料');
    expect(result.errors).toEqual([]);
  });

  it('skips section headings, total rows, a column-number row and a repeated header', async () => {
    const data = Buffer.from(csvText([
      HEADER,
      ['1', '2', '3', '4', '5', '6', '7'],
      ['一、教育局'],
      ['1', 'E01', '事项一', '教育局', '自然人', '', ''],
      HEADER,
      ['合计', '1 项'],
    ]), 'utf8');
    const result = await parseServiceItemSpreadsheet(data, 'd.csv');
    expect(result.rows.map((r) => r.row)).toEqual([4]);
    expect(result.errors).toEqual([]);
  });
});

describe('parseServiceItemSpreadsheet: cell errors', () => {
  const file = (dataRows: string[][]) => Buffer.from(csvText([HEADER, ...dataRows]), 'utf8');

  it('reports each empty required cell with its row and column', async () => {
    const { errors, rows } = await parseServiceItemSpreadsheet(file([['1', '', '', '', '', '身份证', '备注在']]), 'e.csv');
    expect(rows).toHaveLength(1);
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '事项编码', 'IMPORT.REQUIRED'],
      [2, '事项名称', 'IMPORT.REQUIRED'],
      [2, '实施部门', 'IMPORT.REQUIRED'],
      [2, '服务对象', 'IMPORT.REQUIRED'],
    ]);
  });

  it('IMPORT.BAD_CODE for a code outside the pattern', async () => {
    const { errors } = await parseServiceItemSpreadsheet(file([
      ['1', 'AB', '短编码', '部门', '自然人', '', ''],
      ['2', '-ABC', '连字符开头', '部门', '自然人', '', ''],
      ['3', '编码123', '中文', '部门', '自然人', '', ''],
      ['4', 'A'.repeat(64), '刚好 64 位', '部门', '自然人', '', ''],
      ['5', 'A'.repeat(65), '65 位', '部门', '自然人', '', ''],
    ]), 'f.csv');
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '事项编码', 'IMPORT.BAD_CODE'],
      [3, '事项编码', 'IMPORT.BAD_CODE'],
      [4, '事项编码', 'IMPORT.BAD_CODE'],
      [6, '事项编码', 'IMPORT.BAD_CODE'],
    ]);
    expect(errors[0]?.reason).toContain('“AB”');
  });

  it('IMPORT.DUPLICATE_CODE on the later row, naming the first (full-width folded before comparing)', async () => {
    const { errors } = await parseServiceItemSpreadsheet(file([
      ['1', 'A001', '事项一', '部门', '自然人', '', ''],
      ['2', 'A002', '事项二', '部门', '自然人', '', ''],
      ['3', 'Ａ００１', '事项三', '部门', '自然人', '', ''],
    ]), 'g.csv');
    expect(errors).toEqual([{
      row: 4, column: '事项编码', code: 'IMPORT.DUPLICATE_CODE',
      reason: '事项编码“A001”与第 2 行重复', reasonEn: 'The item code "A001" repeats row 2',
    }]);
  });

  it('IMPORT.BAD_APPLICANT_KIND names each unknown word', async () => {
    const { errors, rows } = await parseServiceItemSpreadsheet(file([['1', 'K01', '事项', '部门', '自然人、外星人、火星人', '', '']]), 'h.csv');
    expect(rows[0]?.applicantKinds).toEqual(['person']);
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, '服务对象', 'IMPORT.BAD_APPLICANT_KIND'], [2, '服务对象', 'IMPORT.BAD_APPLICANT_KIND']]);
    expect(errors[0]?.reason).toContain('“外星人”');
    expect(errors[1]?.reason).toContain('“火星人”');
  });

  it('IMPORT.TOO_LONG for a name or a material over 200 characters', async () => {
    const { errors } = await parseServiceItemSpreadsheet(file([
      ['1', 'L01', '名'.repeat(200), '部门', '自然人', `${'材'.repeat(200)}；${'料'.repeat(201)}`, ''],
      ['2', 'L02', '名'.repeat(201), '部门', '自然人', '', ''],
    ]), 'i.csv');
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, '申请材料', 'IMPORT.TOO_LONG'], [3, '事项名称', 'IMPORT.TOO_LONG']]);
    expect(errors[0]?.reason).toContain('201');
  });

  it('IMPORT.TOO_MANY_MATERIALS above 60 (after duplicates are merged)', async () => {
    const sixty = Array.from({ length: 60 }, (_, i) => `材料${i + 1}`).join('；');
    const { errors, rows } = await parseServiceItemSpreadsheet(file([
      ['1', 'M01', '六十项', '部门', '自然人', `${sixty}；材料1`, ''],
      ['2', 'M02', '六十一项', '部门', '自然人', `${sixty}；材料61`, ''],
    ]), 'j.csv');
    expect(rows.map((r) => r.materials.length)).toEqual([60, 61]);
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, '申请材料', 'IMPORT.TOO_MANY_MATERIALS']]);
  });
});

describe('parseServiceItemSpreadsheet: xlsx', () => {
  it('reads a workbook with a merged title and a department merged down several rows', async () => {
    const data = await xlsx((wb) => {
      const ws = wb.addWorksheet('事项');
      ws.getCell('A1').value = '政务服务事项清单';
      ws.mergeCells('A1:F1');
      ['序号', '事项编码', '事项名称', '实施部门', '服务对象', '申请材料'].forEach((h, i) => { ws.getCell(2, i + 1).value = h; });
      ws.addRow([1, 3405001, '事项一', '马鞍山市公安局', '自然人', '1、身份证\n2、照片（非必需）']);
      ws.addRow([2, 'P-002', '事项二', null, '法人', '营业执照']);
      ws.addRow([3, 'P-003', '事项三', null, '自然人和法人', null]);
      ws.mergeCells('D3:D5');
      ws.addRow(['注：实施部门合并单元格']);
    });
    const result = await parseServiceItemSpreadsheet(data, '事项.xlsx');
    expect(result.errors).toEqual([]);
    expect(result.headerRow).toBe(2);
    expect(result.rows).toEqual([
      { row: 3, code: '3405001', name: '事项一', department: '马鞍山市公安局', applicantKinds: ['person'], materials: [{ name: '身份证', required: true }, { name: '照片', required: false }] },
      { row: 4, code: 'P-002', name: '事项二', department: '马鞍山市公安局', applicantKinds: ['enterprise'], materials: [{ name: '营业执照', required: true }] },
      { row: 5, code: 'P-003', name: '事项三', department: '马鞍山市公安局', applicantKinds: ['person', 'enterprise'], materials: [] },
    ]);
  });

  it('picks the sheet that has the header', async () => {
    const data = await xlsx((wb) => {
      wb.addWorksheet('说明').getCell('A1').value = '填表说明：见第二页';
      const ws = wb.addWorksheet('清单');
      ws.addRow(['编码', '名称', '责任部门', '办理对象', '材料清单']);
      ws.addRow(['Q01', '事项', '部门', '居民/单位', '申请书']);
    });
    const result = await parseServiceItemSpreadsheet(data, 'x.xlsx');
    expect(result.sheetName).toBe('清单');
    expect(result.rows).toEqual([{ row: 2, code: 'Q01', name: '事项', department: '部门', applicantKinds: ['person', 'enterprise'], materials: [{ name: '申请书', required: true }] }]);
  });
});

describe('parseServiceItemSpreadsheet: whole-file problems', () => {
  it('throws IMPORT.NO_HEADER naming the missing columns', async () => {
    const e = await expectSpreadsheetError(
      parseServiceItemSpreadsheet(Buffer.from(csvText([['事项名称', '实施部门'], ['事项', '部门']]), 'utf8'), 'n.csv'),
      'IMPORT.NO_HEADER',
    );
    expect(e.details.missing).toEqual(['事项编码', '服务对象']);
    expect(e.message).toContain('“事项编码”“服务对象”');
  });

  it('throws IMPORT.NO_HEADER for a file without any header', async () => {
    await expectSpreadsheetError(parseServiceItemSpreadsheet(Buffer.from(csvText([['A01', '事项', '部门', '自然人']]), 'utf8'), 'o.csv'), 'IMPORT.NO_HEADER');
    await expectSpreadsheetError(parseServiceItemSpreadsheet(await xlsxOf([['just', 'data']]), 'o.xlsx'), 'IMPORT.NO_HEADER');
  });

  it('refuses what is not a spreadsheet, and an empty file', async () => {
    await expectSpreadsheetError(parseServiceItemSpreadsheet(Buffer.from('%PDF-1.7 …'), 'p.csv'), 'IMPORT.UNSUPPORTED_FILE');
    await expectSpreadsheetError(parseServiceItemSpreadsheet(Buffer.alloc(0), 'q.csv'), 'IMPORT.EMPTY_FILE');
  });
});

describe('parseApplicantKinds', () => {
  it.each([
    ['自然人', ['person']], ['个人', ['person']], ['公民', ['person']], ['居民', ['person']],
    ['法人', ['enterprise']], ['企业', ['enterprise']], ['法人和其他组织', ['enterprise']], ['其他组织', ['enterprise']],
    ['非法人组织', ['enterprise']], ['单位', ['enterprise']], ['个体工商户', ['enterprise']],
    ['全部', ['person', 'enterprise']], ['自然人和法人', ['person', 'enterprise']],
    ['法人、自然人', ['person', 'enterprise']], ['企业,个人', ['person', 'enterprise']], ['企业，个人', ['person', 'enterprise']],
    ['个人/企业', ['person', 'enterprise']], ['个人／企业', ['person', 'enterprise']], ['个人;企业；个体工商户', ['person', 'enterprise']],
    ['公民及法人', ['person', 'enterprise']], ['自然人与法人', ['person', 'enterprise']], ['自然人 法人 自然人', ['person', 'enterprise']],
  ])('%s', (text, kinds) => {
    expect(parseApplicantKinds(text)).toEqual({ kinds, unknown: [] });
  });

  it('returns unknown words as written, once', () => {
    expect(parseApplicantKinds('自然人、游客、游客')).toEqual({ kinds: ['person'], unknown: ['游客'] });
    expect(parseApplicantKinds('')).toEqual({ kinds: [], unknown: [] });
  });
});

describe('parseMaterials', () => {
  const names = (raw: string) => parseMaterials(raw).map((m) => (m.required ? m.name : `${m.name}?`));

  it('splits on line breaks and ；; 、', () => {
    expect(names('身份证\r\n户口簿\n\n结婚证')).toEqual(['身份证', '户口簿', '结婚证']);
    expect(names('身份证；户口簿;结婚证、离婚证')).toEqual(['身份证', '户口簿', '结婚证', '离婚证']);
  });

  it('splits on list numbering and removes it', () => {
    expect(names('1.身份证2.户口簿3.照片')).toEqual(['身份证', '户口簿', '照片']);
    expect(names('1.身份证2.户口簿3.5寸照片')).toEqual(['身份证', '户口簿3.5寸照片']); // "3.5" reads as a number
    expect(names('1、身份证2、户口簿')).toEqual(['身份证', '户口簿']);
    expect(names('身份证2.户口簿')).toEqual(['身份证2.户口簿']); // no run from 1: not numbering
    expect(names('1.身份证 2.户口簿 3、结婚证')).toEqual(['身份证', '户口簿', '结婚证']);
    expect(names('１．身份证；２．户口簿')).toEqual(['身份证', '户口簿']);
    expect(names('（1）身份证（2）户口簿')).toEqual(['身份证', '户口簿']);
    expect(names('1)身份证 2)户口簿')).toEqual(['身份证', '户口簿']);
    expect(names('（1）身份证\n（2）户口簿\n(3) 照片')).toEqual(['身份证', '户口簿', '照片']);
    expect(names('①身份证②户口簿③2寸照片')).toEqual(['身份证', '户口簿', '2寸照片']);
    expect(names('1.近期2.5寸照片')).toEqual(['近期2.5寸照片']);
  });

  it('does not split inside brackets', () => {
    expect(names('身份证复印件（正、反面）、户口簿')).toEqual(['身份证复印件（正、反面）', '户口簿']);
  });

  it('reads optional and required markers in either bracket form and removes them', () => {
    expect(parseMaterials('身份证(必需)；学历证书（选填）；照片(非必需)；房产证（如有）；委托书(可选)；承诺书（容缺）；体检表（必填）；申请表(必要)；证明(非必要)')).toEqual([
      { name: '身份证', required: true },
      { name: '学历证书', required: false },
      { name: '照片', required: false },
      { name: '房产证', required: false },
      { name: '委托书', required: false },
      { name: '承诺书', required: false },
      { name: '体检表', required: true },
      { name: '申请表', required: true },
      { name: '证明', required: false },
    ]);
    expect(parseMaterials('（如有）授权委托书')).toEqual([{ name: '授权委托书', required: false }]);
  });

  it('keeps a repeated name once, required if either says so', () => {
    expect(parseMaterials('身份证（选填）；身份证；户口簿；户口簿')).toEqual([{ name: '身份证', required: true }, { name: '户口簿', required: true }]);
  });

  it('drops empty items; an empty cell or one saying 无 has no materials', () => {
    expect(names('；；身份证；；\n\n')).toEqual(['身份证']);
    expect(parseMaterials('')).toEqual([]);
    expect(parseMaterials('  ')).toEqual([]);
    expect(parseMaterials('无')).toEqual([]);
  });
});
