import type { ReactNode } from 'react';
import {
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  DatabaseOutlined,
  EyeOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  ScanOutlined,
  WalletOutlined,
  CloudUploadOutlined,
  DiffOutlined,
  EditOutlined,
  HistoryOutlined,
  SearchOutlined,
  BarChartOutlined,
  BellOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  FileDoneOutlined,
  FormOutlined,
  InboxOutlined,
  ProfileOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserAddOutlined,
  WarningOutlined,
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
      { path: '/admin/service-items', label: 'nav.serviceItems', icon: <ProfileOutlined /> },
      { path: '/admin/compare', label: 'nav.compare', icon: <DiffOutlined /> },
    ],
  },
  {
    key: 'services',
    label: 'nav.services',
    roles: ['applicant', 'agent'],
    entries: [
      { path: '/apply', label: 'nav.apply', icon: <FormOutlined /> },
      { path: '/applications', label: 'nav.myApplications', icon: <FileDoneOutlined /> },
      { path: '/agents', label: 'nav.agents', icon: <TeamOutlined /> },
    ],
  },
  {
    key: 'walkIn',
    label: 'nav.walkInGroup',
    roles: ['agent', 'clerk'],
    entries: [{ path: '/walk-in', label: 'nav.walkIn', icon: <UserAddOutlined /> }],
  },
  {
    key: 'workbench',
    label: 'nav.acceptance',
    roles: ['clerk'],
    entries: [{ path: '/workbench', label: 'nav.workbench', icon: <SolutionOutlined /> }],
  },
  {
    key: 'issuerTasks',
    label: 'nav.issuerTasks',
    roles: ['issuer'],
    entries: [
      { path: '/verifications', label: 'nav.verifications', icon: <InboxOutlined /> },
      { path: '/post-checks', label: 'nav.postChecks', icon: <CheckSquareOutlined /> },
    ],
  },
  {
    key: 'supervision',
    label: 'nav.supervision',
    roles: ['supervisor'],
    entries: [
      { path: '/supervision', label: 'nav.statistics', icon: <BarChartOutlined /> },
      { path: '/supervision/escalations', label: 'nav.escalations', icon: <WarningOutlined /> },
      { path: '/supervision/credit', label: 'nav.credit', icon: <AuditOutlined /> },
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
  {
    key: 'exchange',
    label: 'nav.exchange',
    roles: ['data_admin', 'supervisor'],
    entries: [
      { path: '/exchange/directory', label: 'nav.exchangeDirectory', icon: <DatabaseOutlined /> },
      { path: '/exchange/log', label: 'nav.exchangeLog', icon: <AuditOutlined /> },
    ],
  },
  {
    key: 'calendar',
    label: 'nav.calendarAdmin',
    roles: ['data_admin', 'supervisor'],
    entries: [{ path: '/calendar', label: 'nav.calendar', icon: <CalendarOutlined /> }],
  },
  {
    key: 'exchangeQuery',
    label: 'nav.exchangeQuerying',
    roles: ['clerk', 'issuer'],
    entries: [{ path: '/exchange/query', label: 'nav.exchangeQuery', icon: <ApiOutlined /> }],
  },
  {
    key: 'myData',
    label: 'nav.myData',
    roles: ['applicant', 'agent', 'clerk', 'issuer', 'catalog_admin', 'data_admin', 'supervisor', 'verifier'],
    entries: [{ path: '/me/access-log', label: 'nav.accessLog', icon: <EyeOutlined /> }],
  },
  {
    key: 'messages',
    label: 'nav.messages',
    roles: ['applicant', 'agent', 'clerk', 'issuer', 'catalog_admin', 'data_admin', 'supervisor', 'verifier'],
    entries: [{ path: '/notifications', label: 'nav.notifications', icon: <BellOutlined /> }],
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
  if (userRoles.includes('clerk')) return '/workbench';
  if (userRoles.includes('issuer')) return '/verifications';
  if (userRoles.includes('supervisor')) return '/supervision';
  return '/';
}
