import { useEffect, useRef } from 'react';
import { Alert, Descriptions, List, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import QRCode from 'qrcode';
import type { LicenseStatus, VerificationResult } from './licenses-api';
import { useLicenseText, type LicenseMessageKey } from './messages';

export function StatusTag({ status, expired }: { status: LicenseStatus | 'unregistered'; expired?: boolean }) {
  const { t } = useLicenseText();
  const color = status === 'valid' ? (expired ? 'default' : 'green') : status === 'suspended' ? 'orange' : 'red';
  return <Tag color={color} data-testid="license-status" data-status={expired && status === 'valid' ? 'expired' : status}>{expired && status === 'valid' ? t('status.expired') : t(`status.${status}`)}</Tag>;
}

/** The presentation as a QR code drawn on a canvas. */
export function LicenseQr({ text, size = 360 }: { text: string; size?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) void QRCode.toCanvas(canvas.current, text, { errorCorrectionLevel: 'L', margin: 2, width: size });
  }, [text, size]);
  return <canvas ref={canvas} data-testid="presentation-qr" aria-label="QR" />;
}

/** `{ verified, checks, errors }` and, when verified, the disclosed fields only. */
export function VerificationView({ result }: { result: VerificationResult }) {
  const { t, pick } = useLicenseText();
  return (
    <div data-testid="verify-result" data-verified={String(result.verified)}>
      <Alert
        type={result.verified ? 'success' : 'error'}
        showIcon
        title={result.verified ? t('verify.ok') : t('verify.failed')}
        description={result.errors.length > 0 ? (
          <ul className="mz-lic-errors">
            {result.errors.map((e) => <li key={e.code + e.check} data-testid={`verify-error-${e.code}`}>{pick(e.message, e.messageEn)}({e.code})</li>)}
          </ul>
        ) : undefined}
      />
      {result.license && (
        <Descriptions size="small" column={1} bordered style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('verify.license')}>{result.license.licenseType.name} <Typography.Text type="secondary" className="mz-mono">{result.license.identifier}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('verify.issuer')}>{result.license.issuer.name}</Descriptions.Item>
          <Descriptions.Item label={t('verify.validity')}>{result.license.validFrom} — {result.license.validUntil ?? t('verify.indefinite')}</Descriptions.Item>
          {result.audience && <Descriptions.Item label={t('verify.audience')}>{result.audience.name}</Descriptions.Item>}
        </Descriptions>
      )}
      {result.fields && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('verify.disclosed')}</Typography.Title>
          <Descriptions size="small" column={1} bordered data-testid="disclosed-fields">
            {result.fields.map((f) => (
              <Descriptions.Item key={f.name} label={f.label}><span data-testid={`disclosed-field-${f.name}`}>{String(f.value)}</span></Descriptions.Item>
            ))}
          </Descriptions>
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('verify.checks')}</Typography.Title>
      <List
        size="small"
        dataSource={result.checks}
        renderItem={(c) => (
          <List.Item data-testid={`check-${c.name}`} data-ok={String(c.ok)}>
            <Space>
              {c.ok ? <CheckCircleFilled style={{ color: '#389e0d' }} /> : <CloseCircleFilled style={{ color: '#cf1322' }} />}
              <strong>{t(`check.${c.name}` as LicenseMessageKey)}</strong>
              <span>{pick(c.detail, c.detailEn)}</span>
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}
