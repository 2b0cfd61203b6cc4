import { useMemo, useState } from 'react';
import { Button, Card, Col, Input, Row, Select, Space, Statistic, Tooltip, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useApi } from '../../api/use-api';
import { ApiErrorAlert, PageLoading } from '../../shell/feedback';
import { useI18n } from '../../shell/i18n/i18n';
import { isExemptionMethod } from '../../catalog/types';
import { appsApi, type StatsFilter } from '../applications/applications-api';
import { pct } from '../applications/components';
import { useAppText } from '../applications/messages';
import { EChart, type ChartOption } from './echart';
import { statsApi } from './stats-api';
import '../applications/applications.css';

const palette = ['#1554ad', '#389e0d', '#d46b08', '#722ed1', '#13a8a8', '#c41d7f', '#faad14', '#8c8c8c'];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function ChartCard({ title, children, extra }: { title: string; children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <Card className="mz-card mz-chart-card" title={title} size="small" extra={extra}>
      {children}
    </Card>
  );
}

/** The supervisor's dashboard: every figure from the application records, drawn with ECharts. */
export default function DashboardPage() {
  const { t } = useAppText();
  const { t: gt } = useI18n();
  const [region, setRegion] = useState<string>();
  // the report month defaults to the last full month (Beijing time)
  const [reportMonth, setReportMonth] = useState(() => {
    const beijing = new Date(Date.now() + 8 * 3_600_000);
    return new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter: StatsFilter = useMemo(() => ({
    region, from: MONTH.test(from) ? from : undefined, to: MONTH.test(to) ? to : undefined,
  }), [region, from, to]);
  const deps = [filter.region, filter.from, filter.to];
  // the server counts only the caller's region — its own or its department's (a city supervisor: the city) — and those
  // within it: it lists them, and the selector offers those (cities; a district only as the caller's own region)
  const regions = useApi((signal) => statsApi.regions(signal), []);
  const scope = regions.data?.scope ?? null;
  const regionOptions = (regions.data?.items ?? []).filter((r) => r.level !== 'district' || r.code === scope?.code);
  const scopeName = scope?.name;
  const byMonth = useApi((signal) => appsApi.exemptionRate('month', filter, signal), deps);
  const byRegion = useApi((signal) => appsApi.exemptionRate('region', filter, signal), deps);
  const byDepartment = useApi((signal) => appsApi.exemptionRate('department', filter, signal), deps);
  const byMethod = useApi((signal) => appsApi.exemptionRate('method', filter, signal), deps);
  const commitments = useApi((signal) => appsApi.commitmentStats(filter, signal), deps);
  const verifications = useApi((signal) => appsApi.verificationStats(filter, signal), deps);
  const cases = useApi((signal) => appsApi.caseStats(filter, signal), deps);
  const error = regions.error ?? byMonth.error ?? byRegion.error ?? byDepartment.error ?? byMethod.error ?? commitments.error ?? verifications.error ?? cases.error;
  const methodLabel = (m: string) => (m === 'upload' ? t('method.upload') : isExemptionMethod(m) ? gt(`method.${m}`) : m);

  const rateAxis = { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } };
  const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  const tooltipPct = { trigger: 'axis' as const, valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : String(v ?? '—')) };

  const rateByMonth: ChartOption | undefined = byMonth.data && {
    color: palette, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 48, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: byMonth.data.items.map((i) => i.key) },
    yAxis: [{ type: 'value' }, rateAxis],
    series: [
      { type: 'bar', name: t('sup.series.total'), data: byMonth.data.items.map((i) => i.total), itemStyle: { color: '#bfd3f2' } },
      { type: 'bar', name: t('sup.series.exempt'), data: byMonth.data.items.map((i) => i.exempt), itemStyle: { color: '#389e0d' } },
      { type: 'line', name: t('sup.series.rate'), yAxisIndex: 1, smooth: true, data: byMonth.data.items.map((i) => percent(i.rate)), itemStyle: { color: '#d46b08' }, tooltip: { valueFormatter: (v) => `${String(v)}%` } },
    ],
  };
  const rateByRegion: ChartOption | undefined = byRegion.data && {
    color: palette, tooltip: tooltipPct, grid: { left: 48, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: byRegion.data.items.map((i) => i.key) }, yAxis: rateAxis,
    series: [{ type: 'bar', name: t('sup.series.rate'), data: byRegion.data.items.map((i) => percent(i.rate)), barMaxWidth: 48, label: { show: true, position: 'top', formatter: '{c}%' } }],
  };
  const topDepartments = byDepartment.data ? [...byDepartment.data.items].sort((a, b) => b.total - a.total).slice(0, 15).reverse() : [];
  const rateByDepartment: ChartOption | undefined = byDepartment.data && {
    color: ['#1554ad'], tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)}%` }, grid: { left: 170, right: 48, top: 8, bottom: 24 },
    xAxis: rateAxis, yAxis: { type: 'category', data: topDepartments.map((i) => i.key), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [{ type: 'bar', name: t('sup.series.rate'), data: topDepartments.map((i) => percent(i.rate)), barMaxWidth: 16, label: { show: true, position: 'right', formatter: '{c}%' } }],
  };
  const rateByMethod: ChartOption | undefined = byMethod.data && {
    color: palette, tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' }, legend: { type: 'scroll', bottom: 0 },
    series: [{
      // a narrower ring leaves the outside labels room; names wrap instead of being cut to "告知承…"
      type: 'pie', radius: ['30%', '56%'], center: ['50%', '45%'], name: t('sup.chart.rateByMethod'),
      data: byMethod.data.items.map((i) => ({ name: methodLabel(i.key), value: i.total })),
      label: { formatter: '{b}\n{d}%', width: 64, overflow: 'break', lineHeight: 14 }, labelLine: { length: 8, length2: 6 }, labelLayout: { hideOverlap: true },
    }],
  };
  const commitmentChart: ChartOption | undefined = commitments.data && {
    color: ['#d46b08', '#389e0d'], tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: commitments.data.byMonth.map((m) => m.month) }, yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', name: t('sup.series.cases'), data: commitments.data.byMonth.map((m) => m.cases) },
      { type: 'bar', name: t('sup.series.signed'), data: commitments.data.byMonth.map((m) => m.signed) },
    ],
  };
  const pc = commitments.data?.postChecks;
  const postCheckChart: ChartOption | undefined = pc && {
    color: ['#389e0d', '#cf1322', '#8c8c8c'], tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' }, legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['38%', '68%'], center: ['50%', '45%'], name: t('sup.chart.postChecks'),
      data: [{ name: t('sup.pc.truthful'), value: pc.truthful }, { name: t('sup.pc.false'), value: pc.false }, { name: t('sup.pc.open'), value: pc.open }],
    }],
  };
  const verificationChart: ChartOption | undefined = verifications.data && {
    color: ['#722ed1', '#389e0d', '#d46b08'], tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: verifications.data.byMonth.map((m) => m.month) },
    yAxis: [{ type: 'value', minInterval: 1 }, rateAxis],
    series: [
      { type: 'bar', name: t('sup.series.requests'), data: verifications.data.byMonth.map((m) => m.requests) },
      { type: 'bar', name: t('sup.series.onTime'), data: verifications.data.byMonth.map((m) => m.onTime) },
      { type: 'line', name: t('sup.series.onTimeRate'), yAxisIndex: 1, data: verifications.data.byMonth.map((m) => percent(m.onTimeRate)), tooltip: { valueFormatter: (v) => `${String(v)}%` } },
    ],
  };
  const caseChart: ChartOption | undefined = cases.data && {
    color: ['#1554ad', '#389e0d', '#c41d7f'], tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 56, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: cases.data.byMonth.map((m) => m.month) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', axisLabel: { formatter: '{value}%' } }],
    series: [
      { type: 'bar', name: t('sup.series.caseCount'), data: cases.data.byMonth.map((m) => m.cases) },
      { type: 'bar', name: t('sup.series.approved'), data: cases.data.byMonth.map((m) => m.approved) },
      { type: 'line', name: t('sup.series.yoy'), yAxisIndex: 1, connectNulls: false, data: cases.data.byMonth.map((m) => percent(m.yoy)), tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '—' : `${String(v)}%`) } },
    ],
  };
  const lastYoy = cases.data?.byMonth.filter((m) => m.yoy !== null).at(-1);

  return (
    <div className="mz-page" data-testid="dashboard-page">
      <div className="mz-title-row">
        <div>
          <Typography.Title level={2} className="mz-page-title">{t('sup.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('sup.subtitle')}</Typography.Paragraph>
        </div>
        <Space wrap>
          <Space.Compact>
            <Input value={reportMonth} onChange={(e) => setReportMonth(e.target.value.trim())} style={{ width: 100 }} aria-label={t('sup.reportMonth')} status={MONTH.test(reportMonth) ? undefined : 'error'} data-testid="monthly-report-month" />
            <Tooltip title={t('sup.monthlyReportHint')}>
              <Button icon={<DownloadOutlined />} href={MONTH.test(reportMonth) ? appsApi.monthlyReportUrl(reportMonth, region) : undefined} disabled={!MONTH.test(reportMonth)} data-testid="monthly-report">{t('sup.monthlyReport')}</Button>
            </Tooltip>
          </Space.Compact>
          <Link to="/supervision/escalations">{t('esc.title')}</Link>
          <Link to="/supervision/credit">{t('credit.title')}</Link>
        </Space>
      </div>
      <Space wrap size="middle" className="mz-filters">
        <Select
          allowClear
          placeholder={scopeName ?? t('sup.allRegions')}
          value={region}
          onChange={setRegion}
          style={{ width: 200 }}
          aria-label={t('sup.region')}
          options={regionOptions.map((r) => ({ value: r.code, label: r.name }))}
          data-testid="dashboard-region"
        />
        <Input placeholder={`${t('sup.from')} YYYY-MM`} value={from} onChange={(e) => setFrom(e.target.value.trim())} style={{ width: 170 }} aria-label={t('sup.from')} status={from && !MONTH.test(from) ? 'error' : undefined} />
        <Input placeholder={`${t('sup.to')} YYYY-MM`} value={to} onChange={(e) => setTo(e.target.value.trim())} style={{ width: 170 }} aria-label={t('sup.to')} status={to && !MONTH.test(to) ? 'error' : undefined} />
      </Space>
      {error && <ApiErrorAlert error={error} />}
      {!byMonth.data && !error ? <PageLoading /> : null}

      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card className="mz-card mz-kpi" data-testid="kpi-exemption-rate">
            <Statistic title={t('sup.exemptionRate')} value={pct(byMonth.data?.rate)} valueStyle={{ color: '#237804' }} />
            <Typography.Text type="secondary" className="mz-small">{byMonth.data ? `${byMonth.data.exempt} / ${byMonth.data.total}` : ''}</Typography.Text>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card className="mz-card mz-kpi" data-testid="kpi-cases">
            <Statistic title={t('sup.cases')} value={cases.data?.total ?? '—'} />
            <Typography.Text type="secondary" className="mz-small">{lastYoy ? `${lastYoy.month} ${t('sup.series.yoy')} ${pct(lastYoy.yoy)}` : ''}</Typography.Text>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card className="mz-card mz-kpi" data-testid="kpi-commitments">
            <Statistic title={t('sup.commitments')} value={commitments.data?.cases ?? '—'} />
            <Typography.Text type="secondary" className="mz-small">{commitments.data ? t('sup.creditSummary', { active: commitments.data.creditRecords.active, total: commitments.data.creditRecords.total }) : ''}</Typography.Text>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card className="mz-card mz-kpi" data-testid="kpi-on-time">
            <Statistic title={t('sup.onTimeRate')} value={pct(verifications.data?.onTimeRate)} />
            <Typography.Text type="secondary" className="mz-small">{verifications.data ? `${verifications.data.onTime} / ${verifications.data.answered}` : ''}</Typography.Text>
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <ChartCard title={t('sup.chart.rateByMonth')} extra={<Typography.Text type="secondary" className="mz-small">{t('sup.exemptionHint')}</Typography.Text>}>
            {rateByMonth && <EChart option={rateByMonth} label={t('sup.chart.rateByMonth')} testId="chart-rate-month" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={10}>
          <ChartCard title={t('sup.chart.rateByRegion')}>
            {rateByRegion && <EChart option={rateByRegion} label={t('sup.chart.rateByRegion')} testId="chart-rate-region" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={14}>
          <ChartCard title={t('sup.chart.rateByDepartment')}>
            {rateByDepartment && <EChart option={rateByDepartment} height={420} label={t('sup.chart.rateByDepartment')} testId="chart-rate-department" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={10}>
          <ChartCard title={t('sup.chart.rateByMethod')}>
            {rateByMethod && <EChart option={rateByMethod} height={420} label={t('sup.chart.rateByMethod')} testId="chart-rate-method" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={14}>
          <ChartCard title={t('sup.chart.commitments')}>
            {commitmentChart && <EChart option={commitmentChart} label={t('sup.chart.commitments')} testId="chart-commitments" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={10}>
          <ChartCard title={t('sup.chart.postChecks')} extra={pc ? <Typography.Text type="secondary" className="mz-small">{t('sup.postCheckSummary', { total: pc.total, truthful: pc.truthful, false: pc.false, open: pc.open, overdue: pc.overdue })}</Typography.Text> : null}>
            {postCheckChart && <EChart option={postCheckChart} label={t('sup.chart.postChecks')} testId="chart-post-checks" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard title={t('sup.chart.verifications')} extra={verifications.data ? <Typography.Text type="secondary" className="mz-small">{t('sup.verSummary', { requests: verifications.data.requests, answered: verifications.data.answered, onTime: verifications.data.onTime, escalated: verifications.data.escalated })}</Typography.Text> : null}>
            {verificationChart && <EChart option={verificationChart} label={t('sup.chart.verifications')} testId="chart-verifications" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard title={t('sup.chart.cases')} extra={cases.data ? <Typography.Text type="secondary" className="mz-small">{t('sup.caseSummary', { total: cases.data.total })}</Typography.Text> : null}>
            {caseChart && <EChart option={caseChart} label={t('sup.chart.cases')} testId="chart-cases" />}
          </ChartCard>
        </Col>
      </Row>
    </div>
  );
}
