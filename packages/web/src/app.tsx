import { lazy, useEffect } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './identity/auth-context';
import { AppLayout } from './shell/app-layout';
import { buildTheme, DisplayModeProvider, useDisplayMode } from './shell/display-mode';
import { NotFoundPage } from './shell/feedback';
import { I18nProvider, useI18n } from './shell/i18n/i18n';
import { KioskProvider } from './shell/kiosk';
import { RequireRole } from './shell/require-role';

// One chunk per page: the public list page does not download the admin screens.
const CatalogSearchPage = lazy(() => import('./catalog/catalog-search-page'));
const ProofItemPage = lazy(() => import('./catalog/proof-item-page'));
const ServiceItemPage = lazy(() => import('./catalog/service-item-page'));
const VersionsPage = lazy(() => import('./catalog/versions-page'));
const VersionListPage = lazy(() => import('./catalog/version-list-page'));
const LoginPage = lazy(() => import('./identity/login-page'));
const ImportPage = lazy(() => import('./catalog/admin/import-page'));
const DraftPage = lazy(() => import('./catalog/admin/draft-page'));
const ServiceItemsAdminPage = lazy(() => import('./catalog/admin/service-items-page'));
const ComparePage = lazy(() => import('./catalog/admin/compare-page'));
const LicenseWalletPage = lazy(() => import('./pages/licenses/wallet-page'));
const LicenseIssuerPage = lazy(() => import('./pages/licenses/issuer-page'));
const LicenseVerifyPage = lazy(() => import('./pages/licenses/verify-page'));
const LicenseTypesPage = lazy(() => import('./pages/licenses/license-types-page'));
const LicenseUsagePage = lazy(() => import('./pages/licenses/usage-page'));
const ExchangeDirectoryPage = lazy(() => import('./pages/exchange/directory-page'));
const ExchangeLogPage = lazy(() => import('./pages/exchange/exchange-log-page'));
const ExchangeQueryPage = lazy(() => import('./pages/exchange/query-page'));
const MyAccessLogPage = lazy(() => import('./pages/exchange/my-access-log-page'));
const ApplyPage = lazy(() => import('./pages/applications/apply-page'));
const MyApplicationsPage = lazy(() => import('./pages/applications/my-applications-page'));
const ApplicationDetailPage = lazy(() => import('./pages/applications/application-detail-page'));
const BundlePage = lazy(() => import('./pages/applications/bundle-page'));
const CommitmentPage = lazy(() => import('./pages/applications/commitment-page'));
const AgentsPage = lazy(() => import('./pages/applications/agents-page'));
const WalkInPage = lazy(() => import('./pages/applications/walk-in-page'));
const NotificationsPage = lazy(() => import('./pages/applications/notifications-page'));
const WorkbenchPage = lazy(() => import('./pages/workbench/workbench-page'));
const VerificationsPage = lazy(() => import('./pages/issuer/verifications-page'));
const PostChecksPage = lazy(() => import('./pages/issuer/post-checks-page'));
const DashboardPage = lazy(() => import('./pages/stats/dashboard-page'));
const CreditPage = lazy(() => import('./pages/stats/credit-page'));
const EscalationsPage = lazy(() => import('./pages/stats/escalations-page'));
const CalendarPage = lazy(() => import('./pages/calendar/calendar-page'));

function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<CatalogSearchPage />} />
        <Route path="proof-items/:id" element={<ProofItemPage />} />
        <Route path="service-items/:code" element={<ServiceItemPage />} />
        <Route path="versions" element={<VersionsPage />} />
        <Route path="versions/:n" element={<VersionListPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="admin/import" element={<RequireRole roles={['catalog_admin']}><ImportPage /></RequireRole>} />
        <Route path="admin/draft" element={<RequireRole roles={['catalog_admin']}><DraftPage /></RequireRole>} />
        <Route path="admin/service-items" element={<RequireRole roles={['catalog_admin']}><ServiceItemsAdminPage /></RequireRole>} />
        <Route path="admin/compare" element={<RequireRole roles={['catalog_admin']}><ComparePage /></RequireRole>} />
        <Route path="licenses/usage" element={<LicenseUsagePage />} />
        <Route path="licenses/wallet" element={<RequireRole roles={['applicant']}><LicenseWalletPage /></RequireRole>} />
        <Route path="licenses/issuer" element={<RequireRole roles={['issuer']}><LicenseIssuerPage /></RequireRole>} />
        <Route path="licenses/verify" element={<RequireRole roles={['verifier', 'clerk', 'issuer']}><LicenseVerifyPage /></RequireRole>} />
        <Route path="licenses/types" element={<RequireRole roles={['data_admin']}><LicenseTypesPage /></RequireRole>} />
        <Route path="exchange/directory" element={<RequireRole roles={['data_admin', 'supervisor']}><ExchangeDirectoryPage /></RequireRole>} />
        <Route path="exchange/log" element={<RequireRole roles={['data_admin', 'supervisor']}><ExchangeLogPage /></RequireRole>} />
        <Route path="exchange/query" element={<RequireRole roles={['clerk', 'issuer']}><ExchangeQueryPage /></RequireRole>} />
        <Route path="me/access-log" element={<RequireRole roles={['applicant', 'agent', 'clerk', 'issuer', 'catalog_admin', 'data_admin', 'supervisor', 'verifier']}><MyAccessLogPage /></RequireRole>} />
        <Route path="apply" element={<RequireRole roles={['applicant', 'agent']}><ApplyPage /></RequireRole>} />
        <Route path="applications" element={<RequireRole roles={['applicant', 'agent']}><MyApplicationsPage /></RequireRole>} />
        <Route path="applications/:id" element={<RequireRole roles={['applicant', 'agent', 'clerk', 'supervisor']}><ApplicationDetailPage /></RequireRole>} />
        <Route path="bundles/:id" element={<RequireRole roles={['applicant', 'agent', 'clerk', 'supervisor']}><BundlePage /></RequireRole>} />
        <Route path="commitments/:id" element={<RequireRole roles={['applicant', 'agent', 'clerk', 'issuer', 'supervisor']}><CommitmentPage /></RequireRole>} />
        <Route path="walk-in" element={<RequireRole roles={['agent', 'clerk']}><WalkInPage /></RequireRole>} />
        <Route path="agents" element={<RequireRole roles={['applicant', 'agent']}><AgentsPage /></RequireRole>} />
        <Route path="notifications" element={<RequireRole roles={['applicant', 'agent', 'clerk', 'issuer', 'catalog_admin', 'data_admin', 'supervisor', 'verifier']}><NotificationsPage /></RequireRole>} />
        <Route path="workbench" element={<RequireRole roles={['clerk']}><WorkbenchPage /></RequireRole>} />
        <Route path="workbench/:id" element={<RequireRole roles={['clerk']}><ApplicationDetailPage /></RequireRole>} />
        <Route path="verifications" element={<RequireRole roles={['issuer']}><VerificationsPage /></RequireRole>} />
        <Route path="post-checks" element={<RequireRole roles={['issuer']}><PostChecksPage /></RequireRole>} />
        <Route path="supervision" element={<RequireRole roles={['supervisor', 'catalog_admin', 'data_admin']}><DashboardPage /></RequireRole>} />
        <Route path="supervision/credit" element={<RequireRole roles={['supervisor']}><CreditPage /></RequireRole>} />
        <Route path="supervision/escalations" element={<RequireRole roles={['supervisor']}><EscalationsPage /></RequireRole>} />
        <Route path="calendar" element={<RequireRole roles={['data_admin', 'supervisor']}><CalendarPage /></RequireRole>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

function ThemedApp() {
  const { locale } = useI18n();
  const { elderly, reducedMotion } = useDisplayMode();
  useEffect(() => {
    document.documentElement.dataset.locale = locale;
  }, [locale]);
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={buildTheme(elderly, reducedMotion)}>
      <AntApp>
        <AuthProvider>
          <KioskProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </KioskProvider>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <DisplayModeProvider>
        <ThemedApp />
      </DisplayModeProvider>
    </I18nProvider>
  );
}
