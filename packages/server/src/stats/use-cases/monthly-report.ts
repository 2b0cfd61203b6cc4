import type { Deps } from '../../shared/deps.ts';
import { loadExcelJs } from '../../shared/lazy-modules.ts';
import { METHOD_LABELS } from '../../catalog/domain/proof-item.ts';
import { caseStats, commitmentStats, exemptionRate, regionNamed, verificationStats } from './application-stats.ts';

/** The month `n` months before `month` (YYYY-MM). */
function monthsBefore(month: string, n: number): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

const METHOD_ZH: Record<string, string> = { ...Object.fromEntries(Object.entries(METHOD_LABELS).map(([k, v]) => [k, v.zh])), upload: '上传材料', pending: '办理中' };

/**
 * 月度报告: one month's figures for supervision (督查考核), as a workbook — the same use cases
 * as `GET /api/v1/stats/…` with from = to = the month, so the report and the dashboard
 * never disagree. Sheets: 概览 (the month's indicators with year-on-year), 免提交率 by
 * region, department, service item and method, and the 12 months up to the report's month.
 */
export async function monthlyReport(input: { month: string; region?: string }, deps: Deps): Promise<{ workbook: Buffer; regionName: string }> {
  const { month, region } = input;
  const regionName = region ? await regionNamed(region, 'region', deps) : '全部地区';
  const filter = { from: month, to: month, region };
  const yearFilter = { from: monthsBefore(month, 11), to: month, region };
  // cases from the year before the 12 months too: a month without cases is still compared with the same month a year earlier
  const [byRegion, byDepartment, byItem, byMethod, byMonth, cases, commitments, verifications] = await Promise.all([
    exemptionRate(filter, 'region', deps), exemptionRate(filter, 'department', deps), exemptionRate(filter, 'service_item', deps),
    exemptionRate(filter, 'method', deps), exemptionRate(yearFilter, 'month', deps), caseStats({ ...yearFilter, from: monthsBefore(month, 23) }, deps), commitmentStats(filter, deps), verificationStats(filter, deps),
  ]);
  /** A month's cases; a month without any has none (0), and against cases a year earlier a change of −100 %. */
  const casesIn = (m: string) => {
    const c = cases.byMonth.find((x) => x.month === m);
    if (c) return c;
    const lastYear = cases.byMonth.find((x) => x.month === monthsBefore(m, 12))?.cases ?? null;
    return { month: m, cases: 0, approved: 0, rejected: 0, sameMonthLastYear: lastYear, yoy: lastYear ? -1 : null };
  };
  const thisMonth = casesIn(month);

  const ExcelJS = await loadExcelJs();
  const wb = new ExcelJS.Workbook();
  wb.creator = '免证 Mianzheng';
  wb.created = deps.now();
  const percent = '0.0%';

  const summary = wb.addWorksheet('概览');
  summary.columns = [{ header: '指标', key: 'name', width: 30 }, { header: '数值', key: 'value', width: 16 }, { header: '说明', key: 'note', width: 60 }];
  const row = (name: string, value: number | string | null, note = '', format?: string) => {
    const r = summary.addRow({ name, value: value ?? '—', note });
    if (format && typeof value === 'number') r.getCell('value').numFmt = format;
  };
  row('统计月份', month, '按首次提交的月份（北京时间）');
  row('地区', regionName, region ? `区划代码 ${region}` : '');
  row('办件量', thisMonth.cases);
  row('去年同月办件量', thisMonth.sameMonthLastYear);
  row('同比', thisMonth.yoy, '（本月 − 去年同月） / 去年同月', percent);
  row('准予（含已办结）', thisMonth.approved);
  row('不予许可', thisMonth.rejected);
  row('证明材料数', byMethod.total, '本月提交的办件所需的证明材料（集成办共享的证明计一次）');
  row('免提交数', byMethod.exempt, '无需申请人提交即已满足');
  row('免提交率', byMethod.rate, '免提交数 / 证明材料数', percent);
  row('告知承诺办件', commitments.cases);
  row('已签署承诺书', commitments.signed);
  row('事后核查任务', commitments.postChecks.total, '本月承诺的核查任务');
  row('核查属实', commitments.postChecks.truthful);
  row('核查不实', commitments.postChecks.false);
  row('待核查', commitments.postChecks.open);
  row('其中超期未核查', commitments.postChecks.overdue, '截至导出时');
  row('部门核验请求', verifications.requests);
  row('已答复', verifications.answered);
  row('按时答复', verifications.onTime, '在工作日期限内答复');
  row('按时率', verifications.onTimeRate, '按时答复 / 已答复', percent);
  row('超期上报督办', verifications.escalated);
  row('有效信用记录', commitments.creditRecords.active, '截至导出时（按记录部门所在地区）');
  summary.getRow(1).font = { bold: true };

  const rateSheet = (title: string, keyHeader: string, items: Array<{ key: string; total: number; exempt: number; rate: number | null }>, label: (k: string) => string = (k) => k) => {
    const ws = wb.addWorksheet(title);
    ws.columns = [{ header: keyHeader, key: 'key', width: 36 }, { header: '证明材料数', key: 'total', width: 14 }, { header: '免提交数', key: 'exempt', width: 12 }, { header: '免提交率', key: 'rate', width: 12 }];
    for (const i of items) ws.addRow({ key: label(i.key), total: i.total, exempt: i.exempt, rate: i.rate ?? '—' }).getCell('rate').numFmt = percent;
    ws.getRow(1).font = { bold: true };
  };
  rateSheet('免提交率·按地区', '地区', byRegion.items);
  rateSheet('免提交率·按部门', '受理部门', [...byDepartment.items].sort((a, b) => b.total - a.total));
  rateSheet('免提交率·按事项', '政务服务事项', [...byItem.items].sort((a, b) => b.total - a.total));
  rateSheet('免提交率·按方式', '满足方式', byMethod.items, (k) => METHOD_ZH[k] ?? k);

  const trend = wb.addWorksheet('近12个月');
  trend.columns = [
    { header: '月份', key: 'month', width: 10 }, { header: '办件量', key: 'cases', width: 10 }, { header: '同比', key: 'yoy', width: 10 },
    { header: '证明材料数', key: 'total', width: 12 }, { header: '免提交数', key: 'exempt', width: 10 }, { header: '免提交率', key: 'rate', width: 10 },
  ];
  const rates = new Map(byMonth.items.map((i) => [i.key, i]));
  for (let n = 11; n >= 0; n--) {
    const m = monthsBefore(month, n);
    const c = casesIn(m);
    const e = rates.get(m);
    const r = trend.addRow({ month: m, cases: c.cases, yoy: c.yoy ?? '—', total: e?.total ?? 0, exempt: e?.exempt ?? 0, rate: e?.rate ?? '—' });
    r.getCell('yoy').numFmt = percent;
    r.getCell('rate').numFmt = percent;
  }
  trend.getRow(1).font = { bold: true };

  return { workbook: Buffer.from(await wb.xlsx.writeBuffer()), regionName };
}
