import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ThemeConfig } from 'antd';

const storageKey = 'mianzheng.elderly';

interface DisplayModeValue {
  /** 适老化: larger type and higher contrast */
  elderly: boolean;
  setElderly: (on: boolean) => void;
  /** the system asks for reduced motion (prefers-reduced-motion): no animated transitions or charts */
  reducedMotion: boolean;
}

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(REDUCED_MOTION).matches;
}

const DisplayModeContext = createContext<DisplayModeValue | null>(null);

function readStored(): boolean {
  try {
    return localStorage.getItem(storageKey) === '1';
  } catch {
    return false;
  }
}

export function DisplayModeProvider({ children }: { children: ReactNode }) {
  const [elderly, setState] = useState(readStored);
  const setElderly = useCallback((on: boolean) => {
    setState(on);
    try {
      localStorage.setItem(storageKey, on ? '1' : '0');
    } catch {
      /* not persisted */
    }
  }, []);

  useEffect(() => {
    document.body.classList.toggle('mz-elderly', elderly);
  }, [elderly]);

  // follows the system setting while the page is open
  const [reducedMotion, setReducedMotion] = useState(prefersReducedMotion);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return undefined;
    const query = window.matchMedia(REDUCED_MOTION);
    const changed = () => setReducedMotion(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);

  const value = useMemo(() => ({ elderly, setElderly, reducedMotion }), [elderly, setElderly, reducedMotion]);
  return <DisplayModeContext.Provider value={value}>{children}</DisplayModeContext.Provider>;
}

export function useDisplayMode(): DisplayModeValue {
  const value = useContext(DisplayModeContext);
  if (!value) throw new Error('useDisplayMode outside DisplayModeProvider');
  return value;
}

const brandBlue = '#1554ad';

export function buildTheme(elderly: boolean, reducedMotion = false): ThemeConfig {
  const base: ThemeConfig = {
    token: {
      // antd's own switch for its transitions (collapse, modal, dropdown, message …)
      motion: !reducedMotion,
      colorPrimary: brandBlue,
      colorLink: brandBlue,
      borderRadius: 6,
      fontFamily:
        '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif',
    },
    components: {
      Layout: { headerBg: '#0f3d7a', headerHeight: 64, headerPadding: '0 24px', siderBg: '#ffffff', bodyBg: '#f3f5f9' },
    },
  };
  if (!elderly) return base;
  return {
    token: {
      ...base.token,
      fontSize: 18,
      fontSizeLG: 20,
      fontSizeSM: 16,
      controlHeight: 40,
      colorPrimary: '#0b3f8c',
      colorLink: '#0b3f8c',
      colorText: '#000000',
      colorTextSecondary: '#1f1f1f',
      colorTextTertiary: '#333333',
      colorTextDescription: '#262626',
      colorBorder: '#595959',
      colorBorderSecondary: '#8c8c8c',
    },
    components: {
      ...base.components,
      Layout: { headerBg: '#002a5c', headerHeight: 72, headerPadding: '0 24px', siderBg: '#ffffff', bodyBg: '#ffffff' },
      Menu: { itemHeight: 52 },
    },
  };
}
