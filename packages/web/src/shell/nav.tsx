import type { ReactNode } from 'react';
import {
  AppstoreOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  ScanOutlined,
  WalletOutlined,
  CloudUploadOutlined,
  DiffOutlined,
  EditOutlined,
  HistoryOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import type { Role } from '../identity/types';
import type { MessageKey } from './i18n/i18n';

export interface NavEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
}

export interface NavGroup {
  key: string;
  label: MessageKey;
  /** shown only to users holding one of these roles; absent = everyone, logged in or not */
  roles?: readonly Role[];
  entries: NavEntry[];
}

/** Navigation by audience. Later work adds groups (applicant, clerk, issuer, supervisor …). */
export const navGroups: NavGroup[] = [
  {
    key: 'public',
    label: 'nav.public',
    entries: [
      { path: '/', label: 'nav.search', icon: <SearchOutlined /> },
      { path: '/versions', label: 'nav.versions', icon: <HistoryOutlined /> },
      { path: '/licenses/usage', label: 'nav.licenseUsage', icon: <SafetyCertificateOutlined /> },
    ],
  },
  {
    key: 'catalog',
    label: 'nav.catalogAdmin',
    roles: ['catalog_admin'],
    entries: [
      { path: '/admin/import', label: 'nav.import', icon: <CloudUploadOutlined /> },
      { path: '/admin/draft', label: 'nav.draft', icon: <EditOutlined /> },
      { path: '/admin/compare', label: 'nav.compare', icon: <DiffOutlined /> },
    ],
  },
  {
    key: 'licenseHolder',
    label: 'nav.licenses',
    roles: ['applicant'],
    entries: [{ path: '/licenses/wallet', label: 'nav.licenseWallet', icon: <WalletOutlined /> }],
  },
  {
    key: 'licenseIssuer',
    label: 'nav.licenseIssuing',
    roles: ['issuer'],
    entries: [{ path: '/licenses/issuer', label: 'nav.licenseIssuer', icon: <IdcardOutlined /> }],
  },
  {
    key: 'licenseVerifier',
    label: 'nav.licenseVerifying',
    roles: ['verifier', 'clerk', 'issuer'],
    entries: [{ path: '/licenses/verify', label: 'nav.licenseVerify', icon: <ScanOutlined /> }],
  },
  {
    key: 'licenseTypes',
    label: 'nav.licenseAdmin',
    roles: ['data_admin'],
    entries: [{ path: '/licenses/types', label: 'nav.licenseTypes', icon: <AppstoreOutlined /> }],
  },
];

export function visibleGroups(userRoles: readonly Role[] | undefined): NavGroup[] {
  return navGroups.filter((group) => !group.roles || group.roles.some((role) => userRoles?.includes(role)));
}

/** The menu key for a location: the longest entry path that prefixes it. */
export function selectedNavPath(pathname: string, groups: NavGroup[]): string | undefined {
  let best: string | undefined;
  for (const group of groups) {
    for (const { path } of group.entries) {
      const matches = path === '/' ? pathname === '/' || pathname.startsWith('/proof-items') || pathname.startsWith('/service-items') : pathname === path || pathname.startsWith(`${path}/`);
      if (matches && (!best || path.length > best.length)) best = path;
    }
  }
  return best;
}

/** Where a user lands after logging in when no page was asked for. */
export function homeFor(userRoles: readonly Role[]): string {
  if (userRoles.includes('catalog_admin')) return '/admin/draft';
  return '/';
}
