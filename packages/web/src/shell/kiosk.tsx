import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Modal, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../identity/auth-context';
import { useDisplayMode } from './display-mode';
import { useI18n } from './i18n/i18n';

/**
 * 自助办: a self-service terminal in a service hall, used by one person after another. The
 * terminal is set up once from its address — `?kiosk=1` (optionally `&idle=N`, seconds without a
 * touch before the visit ends, 5–3600, default 120) turns it on, `?kiosk=0` off — and keeps the
 * setting on the device. On such a terminal a signed-in visit that nobody touches is warned of,
 * then ended: the session is signed out on the server, and the person's choices (language, 适老化)
 * go back to the terminal's defaults, so nothing of one visitor is left to the next.
 */
export interface KioskSetting { kiosk: boolean; idleSeconds: number }

export const KIOSK_DEFAULT_IDLE_SECONDS = 120;
/** the warning before a visit ends: this long, or the idle time when that is shorter */
export const KIOSK_COUNTDOWN_SECONDS = 30;
const STORAGE_KEY = 'mianzheng.kiosk';

/** The setting after opening `search` (a location's query string) on a terminal set to `stored`. */
export function kioskSettingFrom(search: string, stored: KioskSetting): KioskSetting {
  const params = new URLSearchParams(search);
  const kiosk = params.get('kiosk');
  const idle = Number(params.get('idle'));
  return {
    kiosk: kiosk === '1' ? true : kiosk === '0' ? false : stored.kiosk,
    idleSeconds: kiosk === '1' && Number.isInteger(idle) && idle >= 5 && idle <= 3600 ? idle : kiosk === '1' ? KIOSK_DEFAULT_IDLE_SECONDS : stored.idleSeconds,
  };
}

function readStored(): KioskSetting {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<KioskSetting> | null;
    return { kiosk: raw?.kiosk === true, idleSeconds: typeof raw?.idleSeconds === 'number' ? raw.idleSeconds : KIOSK_DEFAULT_IDLE_SECONDS };
  } catch {
    return { kiosk: false, idleSeconds: KIOSK_DEFAULT_IDLE_SECONDS };
  }
}

const KioskContext = createContext<KioskSetting>({ kiosk: false, idleSeconds: KIOSK_DEFAULT_IDLE_SECONDS });

export function KioskProvider({ children }: { children: ReactNode }) {
  const [setting] = useState(() => {
    const next = kioskSettingFrom(window.location.search, readStored());
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      /* not kept on this device */
    }
    return next;
  });
  const { setElderly } = useDisplayMode();
  useEffect(() => {
    document.body.classList.toggle('mz-kiosk', setting.kiosk);
  }, [setting.kiosk]);
  // set up as a kiosk: large type is the terminal's default (every visit ends back in it)
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('kiosk') === '1') setElderly(true);
  }, [setElderly]);
  return <KioskContext.Provider value={setting}>{children}</KioskContext.Provider>;
}

export function useKiosk(): KioskSetting {
  return useContext(KioskContext);
}

/**
 * Ends the visit on a kiosk: signs out, puts the language and 适老化 back to the terminal's
 * defaults (Chinese, large type) and shows the sign-in page with a reminder to take one's documents.
 * Elsewhere: signs out, on the public home.
 */
export function useEndVisit(): () => Promise<void> {
  const { kiosk } = useKiosk();
  const { logout } = useAuth();
  const { setLocale } = useI18n();
  const { setElderly } = useDisplayMode();
  const navigate = useNavigate();
  return useCallback(async () => {
    // to the public home (a kiosk: to the sign-in page, saying the visit ended), in the same transition
    // as the sign-out — the signed-in page's role guard never sees the visitor signed out
    await logout(() => navigate(kiosk ? '/login?visit=ended' : '/', { replace: kiosk })).catch(() => undefined);
    if (!kiosk) return;
    setLocale('zh-CN');
    setElderly(true);
  }, [kiosk, logout, setLocale, setElderly, navigate]);
}

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

/** On a kiosk, while someone is signed in: the idle warning and the end of an untouched visit. */
export function KioskIdleGuard() {
  const { kiosk, idleSeconds } = useKiosk();
  const { user } = useAuth();
  const { t } = useI18n();
  const endVisit = useEndVisit();
  const countdown = Math.min(KIOSK_COUNTDOWN_SECONDS, idleSeconds);
  const [remaining, setRemaining] = useState<number | null>(null);
  const idleTimer = useRef<number | undefined>(undefined);
  const active = kiosk && !!user;

  const restart = useCallback(() => {
    window.clearTimeout(idleTimer.current);
    idleTimer.current = window.setTimeout(() => setRemaining(countdown), idleSeconds * 1000);
  }, [countdown, idleSeconds]);

  // any touch or key restarts the idle time, until the warning shows (then only 继续办理 does)
  useEffect(() => {
    if (!active || remaining !== null) return undefined;
    restart();
    const onActivity = () => restart();
    for (const e of ACTIVITY) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      window.clearTimeout(idleTimer.current);
      for (const e of ACTIVITY) window.removeEventListener(e, onActivity);
    };
  }, [active, remaining, restart]);

  useEffect(() => {
    if (remaining === null) return undefined;
    if (remaining <= 0) {
      setRemaining(null);
      void endVisit();
      return undefined;
    }
    const tick = window.setTimeout(() => setRemaining((r) => (r === null ? null : r - 1)), 1000);
    return () => window.clearTimeout(tick);
  }, [remaining, endVisit]);

  if (!active || remaining === null) return null;
  return (
    <Modal open closable={false} maskClosable={false} keyboard={false} title={t('kiosk.idleTitle')} footer={null} centered>
      <div data-testid="kiosk-idle-modal">
        <Typography.Paragraph className="mz-lead">{t('kiosk.idleBody', { n: remaining })}</Typography.Paragraph>
        <div className="mz-kiosk-actions">
          <Button type="primary" size="large" onClick={() => setRemaining(null)} data-testid="kiosk-continue">{t('kiosk.continue')}</Button>
          <Button size="large" onClick={() => { setRemaining(null); void endVisit(); }} data-testid="kiosk-end-now">{t('kiosk.endNow')}</Button>
        </div>
      </div>
    </Modal>
  );
}
