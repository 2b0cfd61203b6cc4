import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useApi } from '../../api/use-api';
import { useAction } from '../../api/use-action';
import { useAuth } from '../../identity/auth-context';
import { ApiErrorAlert } from '../../shell/feedback';
import { calendarApi, type CalendarDay, type DaySource } from './calendar-api';
import { useCalendarText } from './messages';

interface Row { key: number; date: string; work: boolean; name: string }

const WEEKDAYS = { zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
const SOURCE_COLOR: Record<DaySource, string> = { package: 'blue', statutory: 'gold', override: 'purple' };

function weekday(date: string, locale: string): string {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return Number.isNaN(d) ? '' : (locale === 'en' ? WEEKDAYS.en : WEEKDAYS.zh)[d]!;
}

/** The day after the last row's date (still in the year), to add the next day of a holiday quickly. */
function dayAfter(date: string | undefined, year: number): string {
  const next = date ? new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000) : undefined;
  return next && !Number.isNaN(next.getTime()) && next.getUTCFullYear() === year ? next.toISOString().slice(0, 10) : `${year}-01-01`;
}

let nextKey = 1;
const rowsOf = (days: CalendarDay[] | undefined): Row[] =>
  (days ?? []).filter((d) => d.source === 'override').map((d) => ({ key: nextKey++, date: d.date, work: d.work, name: d.name }));

/** 节假日安排: the working-day calendar of a year; data administrators enter the State Council's notice (supervisors read). */
export default function CalendarPage() {
  const { t, locale, pick } = useCalendarText();
  const { message } = AntApp.useApp();
  const { hasAnyRole } = useAuth();
  const dataAdmin = hasAnyRole(['data_admin']);
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const calendar = useApi((signal) => calendarApi.year(year, signal), [year]);
  const [rows, setRows] = useState<Row[]>([]);
  const [errorField, setErrorField] = useState<string>();
  const [run, saving] = useAction();

  useEffect(() => {
    setRows(rowsOf(calendar.data?.days));
    setErrorField(undefined);
  }, [calendar.data]);

  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const statusOf = (index: number, field: keyof Row) => (errorField === `days.${index}.${field}` ? 'error' as const : undefined);

  const save = () => run(async () => {
    setErrorField(undefined);
    await calendarApi.replace(year, rows.map(({ date, work, name }) => ({ date, work, name: name.trim() })));
    message.success(t('saved'));
    calendar.reload();
  }, {
    onError: (error) => {
      setErrorField(error.field);
      message.error(error.localized(locale));
    },
  });

  const kindTag = (work: boolean) => <Tag color={work ? 'volcano' : 'green'}>{work ? t('work') : t('rest')}</Tag>;

  const columns: TableColumnsType<CalendarDay> = [
    { title: t('col.date'), dataIndex: 'date', width: 160, render: (d: string) => <span className="mz-mono">{d} {weekday(d, locale)}</span> },
    { title: t('col.kind'), dataIndex: 'work', width: 90, render: (w: boolean) => kindTag(w) },
    { title: t('col.name'), dataIndex: 'name' },
    { title: t('col.source'), dataIndex: 'source', width: 130, render: (s: DaySource) => <Tag color={SOURCE_COLOR[s]}>{t(`day.${s}`)}</Tag> },
  ];

  const editColumns: TableColumnsType<Row> = [
    {
      title: t('col.date'), dataIndex: 'date', width: 220, render: (_: string, r, i) => (
        <Space>
          <Input type="date" value={r.date} min={`${year}-01-01`} max={`${year}-12-31`} status={statusOf(i, 'date')} onChange={(e) => update(r.key, { date: e.target.value })} data-testid="override-date" style={{ width: 160 }} />
          <span>{weekday(r.date, locale)}</span>
        </Space>
      ),
    },
    {
      title: t('col.kind'), dataIndex: 'work', width: 110, render: (_: boolean, r, i) => (
        <Select value={r.work} status={statusOf(i, 'work')} onChange={(work: boolean) => update(r.key, { work })} options={[{ value: false, label: t('rest') }, { value: true, label: t('work') }]} data-testid="override-work" style={{ width: 90 }} />
      ),
    },
    {
      title: t('col.name'), dataIndex: 'name', render: (_: string, r, i) => (
        <Input value={r.name} maxLength={40} status={statusOf(i, 'name')} placeholder={t('namePlaceholder')} onChange={(e) => update(r.key, { name: e.target.value })} data-testid="override-name" />
      ),
    },
    {
      title: '', width: 60, render: (_: unknown, r) => (
        <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('remove')} title={t('remove')} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} data-testid="override-remove" />
      ),
    },
  ];

  const data = calendar.data;
  // one calendar for the province: a city's data administrator reads it like everyone else
  const admin = dataAdmin && data?.viewer?.mayEdit === true;
  return (
    <div className="mz-page" data-testid="calendar-page">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2} className="mz-page-title">{t('title')}</Typography.Title>
        {!admin && <Tag>{t('readOnly')}</Tag>}
      </Space>
      <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
      <Space wrap>
        <span>{t('year')}</span>
        <Select
          value={year} onChange={setYear} style={{ width: 120 }} data-testid="calendar-year"
          options={Array.from({ length: 8 }, (_, i) => thisYear - 3 + i).map((y) => ({ value: y, label: String(y) }))}
        />
        {data && data.year === year && (
          <>
            <Tag color={data.source === 'package' ? 'blue' : 'gold'} data-testid="calendar-source" data-source={data.source}>{t(`source.${data.source}`)}</Tag>
            <Tag data-testid="calendar-overridden">{t('overridden', { n: data.overridden })}</Tag>
          </>
        )}
      </Space>
      {dataAdmin && data?.viewer && !data.viewer.mayEdit && <Alert type="info" showIcon title={t('provinceOnly')} data-testid="calendar-province-only" />}
      {data?.warning && <Alert type="warning" showIcon title={pick(data.warning.zh, data.warning.en)} data-testid="calendar-warning" />}
      {calendar.error ? <ApiErrorAlert error={calendar.error} onRetry={calendar.reload} /> : (
        <Card className="mz-card" title={t('list')} extra={<Typography.Text type="secondary">{t('listHint')}</Typography.Text>}>
          <Table<CalendarDay>
            rowKey="date" size="small" columns={columns} dataSource={data?.days ?? []} loading={calendar.loading} pagination={false}
            locale={{ emptyText: t('empty') }} data-testid="calendar-days"
            onRow={(d) => ({ 'data-testid': 'calendar-day', 'data-date': d.date, 'data-source': d.source }) as React.HTMLAttributes<HTMLElement>}
          />
        </Card>
      )}
      {admin && data && !calendar.error && (
        <Card
          className="mz-card" title={t('edit')} data-testid="calendar-edit"
          extra={(
            <Space>
              <Button onClick={() => { setRows(rowsOf(data.days)); setErrorField(undefined); }} disabled={saving}>{t('reset')}</Button>
              <Button type="primary" onClick={() => void save()} loading={saving} data-testid="calendar-save">{t('save')}</Button>
            </Space>
          )}
        >
          <Typography.Paragraph type="secondary">{t('editHint')}</Typography.Paragraph>
          <Table<Row>
            rowKey="key" size="small" columns={editColumns} dataSource={rows} pagination={false} locale={{ emptyText: t('noOverrides') }}
            data-testid="calendar-overrides" onRow={() => ({ 'data-testid': 'override-row' }) as React.HTMLAttributes<HTMLElement>}
          />
          <Button
            type="dashed" icon={<PlusOutlined />} style={{ marginTop: 12 }} data-testid="override-add" disabled={rows.length >= 100}
            onClick={() => setRows((rs) => [...rs, { key: nextKey++, date: dayAfter(rs.at(-1)?.date, year), work: false, name: rs.at(-1)?.name ?? '' }])}
          >
            {t('add')}
          </Button>
        </Card>
      )}
    </div>
  );
}
