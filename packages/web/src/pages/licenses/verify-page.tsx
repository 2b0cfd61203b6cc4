import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Input, Space, Tabs, Typography } from 'antd';
import { CameraOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { ApiErrorAlert } from '../../shell/feedback';
import { licensesApi, type VerificationResult } from './licenses-api';
import { VerificationView } from './components';
import { useLicenseText } from './messages';

// BarcodeDetector is not in TypeScript's DOM library yet.
interface DetectedBarcode { rawValue: string }
interface BarcodeDetectorLike { detect(source: CanvasImageSource): Promise<DetectedBarcode[]> }
type BarcodeDetectorCtor = new (options: { formats: string[] }) => BarcodeDetectorLike;
const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;

/** Camera scanning with the BarcodeDetector API where the browser has it. */
function Scanner({ onText }: { onText: (text: string) => void }) {
  const { t } = useLicenseText();
  const video = useRef<HTMLVideoElement>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();
  const onTextRef = useRef(onText);
  onTextRef.current = onText;

  useEffect(() => {
    if (!running || !Detector) return;
    let stream: MediaStream | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        if (!video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        while (!stopped) {
          const codes = await detector.detect(video.current).catch(() => []);
          const hit = codes.find((c) => c.rawValue.startsWith('MZVP1.'));
          if (hit) {
            onTextRef.current(hit.rawValue);
            setRunning(false);
            return;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        setRunning(false);
      }
    })();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [running]);

  if (!Detector) return <Alert type="info" showIcon title={t('verify.noCamera')} data-testid="scan-unavailable" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button icon={<CameraOutlined />} onClick={() => setRunning((r) => !r)} data-testid="scan-toggle">{running ? t('verify.stopScan') : t('verify.scan')}</Button>
      {running && <video ref={video} muted playsInline style={{ maxWidth: 360, width: '100%', borderRadius: 8 }} />}
      {error && <Alert type="warning" showIcon title={error} />}
    </Space>
  );
}

function PresentationTab() {
  const { t } = useLicenseText();
  const [text, setText] = useState('');
  const [run, busy] = useAction();
  const [result, setResult] = useState<VerificationResult>();
  const [error, setError] = useState<ApiError>();

  const verify = async (value: string) => {
    if (!value.trim()) return;
    await run(
      async () => {
        setError(undefined);
        setResult(undefined);
        setResult(await licensesApi.verifyPresentation(value.trim()));
      },
      { onError: (error) => setError(error) },
    );
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Scanner onText={(v) => { setText(v); void verify(v); }} />
      <Input.TextArea rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('verify.paste')} data-testid="verify-presentation-input" className="mz-mono" />
      <Button type="primary" icon={<SafetyCertificateOutlined />} loading={busy} onClick={() => void verify(text)} data-testid="verify-presentation-submit">{t('verify.submit')}</Button>
      {error && <ApiErrorAlert error={error} />}
      {result && <VerificationView result={result} />}
    </Space>
  );
}

function DocumentTab() {
  const { t } = useLicenseText();
  const [text, setText] = useState('');
  const [run, busy] = useAction();
  const [result, setResult] = useState<VerificationResult>();
  const [error, setError] = useState<ApiError>();
  const verify = async () => {
    const value = text.trim();
    if (!value) return;
    await run(
      async () => {
        setError(undefined);
        setResult(await licensesApi.verify(value.startsWith('{') ? { document: value } : { identifier: value }));
      },
      { onError: (error) => setError(error) },
    );
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Input.TextArea rows={6} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('verify.documentInput')} data-testid="verify-document-input" className="mz-mono" />
      <Button type="primary" loading={busy} onClick={() => void verify()} data-testid="verify-document-submit">{t('verify.submit')}</Button>
      {error && <ApiErrorAlert error={error} />}
      {result && <VerificationView result={result} />}
    </Space>
  );
}

export default function VerifyPage() {
  const { t } = useLicenseText();
  return (
    <div className="mz-page" data-testid="license-verify-page">
      <Typography.Title level={2} className="mz-page-title">{t('verify.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('verify.subtitle')}</Typography.Paragraph>
      <Card className="mz-card">
        <Tabs items={[
          { key: 'presentation', label: t('verify.tabPresentation'), children: <PresentationTab /> },
          { key: 'document', label: t('verify.tabDocument'), children: <DocumentTab /> },
        ]} />
      </Card>
    </div>
  );
}
