import type { ReactElement } from 'react';
import { createBrowserRouter } from 'react-router';
import { NotFound } from '../components/not-found';
import { RequirePermission } from '../components/require-permission';
import { ApiKeysPage } from '../features/api-keys/api-keys-page';
import { CustomFieldsPage } from '../features/custom-fields/custom-fields-page';
import { PipelinesPage } from '../features/pipelines/pipelines-page';
import { ProductsPage } from '../features/products/products-page';
import { PriceListsPage } from '../features/price-lists/price-lists-page';
import { WorkspaceSettingsPage } from '../features/workspace-settings/workspace-settings-page';
import { DocumentTemplatesPage } from '../features/documents/document-templates-page';
import { WebFormPage, WebFormsPage } from '../features/web-forms/web-forms-page';
import { LeadDistributionPage, LeadDistributionRulePage } from '../features/lead-distribution/lead-distribution-page';
import { ImportJobPage, ImportPage, RequireImport } from '../features/import/import-page';
import { AuditPage } from '../features/audit/audit-page';
import { TeamSchedulerPage } from '../features/calendar/team-scheduler-page';
import { AcceptInvitePage } from '../features/auth/accept-invite-page';
import { ForgotPasswordPage } from '../features/auth/forgot-password-page';
import { LoginPage } from '../features/auth/login-page';
import { ResetPasswordPage } from '../features/auth/reset-password-page';
import { HomePage } from '../features/home/home-page';
import { MailOutboxPage } from '../features/mail-outbox/mail-outbox-page';
import { ProfilePage } from '../features/profile/profile-page';
import { DealCardPage } from '../features/deals/deal-card-page';
import { DealsBoardPage } from '../features/deals/deals-board-page';
import { RecordCardPage } from '../features/records/record-card-page';
import { RecordListPage } from '../features/records/record-list-page';
import { RecycleBinPage } from '../features/recycle-bin/recycle-bin-page';
import { DataQualityListPage, DataQualityPage, RequireDataQuality } from '../features/data-quality/data-quality-page';
import { RotationPage } from '../features/rotation/rotation-page';
import { RoleEditorPage } from '../features/roles/role-editor-page';
import { RolesPage } from '../features/roles/roles-page';
import { SettingsIndexPage } from '../features/settings/settings-index-page';
import { SetupPage } from '../features/setup/setup-page';
import { TaskSettingsPage } from '../features/tasks/task-settings-page';
import { TasksPage } from '../features/tasks/tasks-page';
import { TeamsPage } from '../features/teams/teams-page';
import { UsersPage } from '../features/users/users-page';
import { RequireSession, SetupGate } from './guards';
import { RouteError } from './route-error';

export function createRouter() {
  return createBrowserRouter([
    {
      element: <SetupGate />,
      errorElement: <RouteError />,
      children: [
        { path: '/setup', element: <SetupPage /> },
        { path: '/login', element: <LoginPage /> },
        { path: '/forgot-password', element: <ForgotPasswordPage /> },
        { path: '/reset-password', element: <ResetPasswordPage /> },
        { path: '/accept-invite', element: <AcceptInvitePage /> },
        {
          path: '/',
          element: <RequireSession />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'profile', element: <ProfilePage /> },
            // `key` gives each object its own page state: going from companies to contacts starts a fresh list.
            { path: 'companies', element: <Guarded page={<RecordListPage key="company" object="company" />} object="company" /> },
            { path: 'companies/:id', element: <Guarded page={<RecordCardPage key="company" object="company" />} object="company" /> },
            { path: 'contacts', element: <Guarded page={<RecordListPage key="contact" object="contact" />} object="contact" /> },
            { path: 'contacts/:id', element: <Guarded page={<RecordCardPage key="contact" object="contact" />} object="contact" /> },
            { path: 'leads', element: <Guarded page={<RecordListPage key="lead" object="lead" />} object="lead" /> },
            { path: 'leads/:id', element: <Guarded page={<RecordCardPage key="lead" object="lead" />} object="lead" /> },
            { path: 'deals', element: <Guarded page={<RecordListPage key="deal" object="deal" />} object="deal" /> },
            { path: 'deals/board', element: <Guarded page={<DealsBoardPage />} object="deal" /> },
            { path: 'deals/:id', element: <Guarded page={<DealCardPage />} object="deal" /> },
            // FullCalendar is large: its page loads when first opened.
            { path: 'calendar', lazy: async () => ({ Component: (await import('../features/calendar/calendar-page')).CalendarPage }) },
            // ECharts comes with the reports page only, so the main bundle does not carry it.
            {
              path: 'reports',
              lazy: async () => {
                const { ReportsPage } = await import('../features/reports/reports-page');
                return { Component: () => <Guarded page={<ReportsPage />} object="report" /> };
              },
            },
            // bpmn-js is large: the processes area (list, designer, monitoring) loads when first opened.
            {
              path: 'processes',
              lazy: async () => {
                const { ProcessesPage } = await import('../features/processes/processes-page');
                return { Component: () => <Guarded page={<ProcessesPage />} object="process" /> };
              },
            },
            {
              path: 'processes/instances',
              lazy: async () => {
                const { ProcessInstancesPage } = await import('../features/processes/process-instances-page');
                return { Component: () => <Guarded page={<ProcessInstancesPage />} object="process" /> };
              },
            },
            {
              path: 'processes/instances/:id',
              lazy: async () => {
                const { ProcessCardPage } = await import('../features/processes/process-card-page');
                return { Component: () => <Guarded page={<ProcessCardPage />} object="process" /> };
              },
            },
            {
              path: 'processes/:id/map',
              lazy: async () => {
                const { ProcessVersionMapPage } = await import('../features/processes/process-instances-page');
                return { Component: () => <Guarded page={<ProcessVersionMapPage />} object="process" /> };
              },
            },
            {
              path: 'processes/:id',
              lazy: async () => {
                const { ProcessDesignerPage } = await import('../features/processes/process-designer-page');
                return { Component: () => <Guarded page={<ProcessDesignerPage />} object="process" /> };
              },
            },
            { path: 'calendar/team', element: <TeamSchedulerPage /> },
            { path: 'rotation', element: <RotationPage /> },
            { path: 'tasks', element: <RequirePermission object="task" action="read"><TasksPage /></RequirePermission> },
            { path: 'tasks/:id', element: <RequirePermission object="task" action="read"><TasksPage /></RequirePermission> },
            { path: 'settings', element: <SettingsIndexPage /> },
            { path: 'settings/users', element: <Guarded page={<UsersPage />} object="user" /> },
            { path: 'settings/users/:userId', element: <Guarded page={<UsersPage />} object="user" /> },
            { path: 'settings/teams', element: <Guarded page={<TeamsPage />} object="team" /> },
            { path: 'settings/roles', element: <Guarded page={<RolesPage />} object="role" /> },
            { path: 'settings/roles/new', element: <RequirePermission object="role" action="create"><RoleEditorPage /></RequirePermission> },
            { path: 'settings/roles/:roleId', element: <Guarded page={<RoleEditorPage />} object="role" /> },
            { path: 'settings/api-keys', element: <Guarded page={<ApiKeysPage />} object="api_key" /> },
            { path: 'settings/audit', element: <Guarded page={<AuditPage />} object="audit" /> },
            { path: 'settings/mail-outbox', element: <Guarded page={<MailOutboxPage />} object="settings" /> },
            { path: 'settings/custom-fields', element: <RequirePermission object="settings" action="update"><CustomFieldsPage /></RequirePermission> },
            { path: 'settings/recycle-bin', element: <RecycleBinPage /> },
            { path: 'settings/tasks', element: <Guarded page={<TaskSettingsPage />} object="settings" /> },
            { path: 'settings/pipelines', element: <RequirePermission object="settings" action="update"><PipelinesPage /></RequirePermission> },
            { path: 'settings/products', element: <RequirePermission object="settings" action="update"><ProductsPage /></RequirePermission> },
            { path: 'settings/price-lists', element: <RequirePermission object="settings" action="update"><PriceListsPage /></RequirePermission> },
            { path: 'settings/workspace', element: <RequirePermission object="settings" action="update"><WorkspaceSettingsPage /></RequirePermission> },
            { path: 'settings/documents', element: <RequirePermission object="settings" action="update"><DocumentTemplatesPage /></RequirePermission> },
            { path: 'settings/web-forms', element: <RequirePermission object="settings" action="update"><WebFormsPage /></RequirePermission> },
            { path: 'settings/web-forms/:formId', element: <RequirePermission object="settings" action="update"><WebFormPage /></RequirePermission> },
            { path: 'settings/lead-distribution', element: <RequirePermission object="settings" action="update"><LeadDistributionPage /></RequirePermission> },
            { path: 'settings/lead-distribution/:ruleId', element: <RequirePermission object="settings" action="update"><LeadDistributionRulePage /></RequirePermission> },
            { path: 'settings/import', element: <RequireImport><ImportPage /></RequireImport> },
            { path: 'settings/import/:importId', element: <RequireImport><ImportJobPage /></RequireImport> },
            { path: 'settings/data-quality', element: <RequireDataQuality><DataQualityPage /></RequireDataQuality> },
            { path: 'settings/data-quality/:object/:problem', element: <RequireDataQuality><DataQualityListPage /></RequireDataQuality> },
            { path: '*', element: <NotFound /> },
          ],
        },
      ],
    },
  ]);
}

function Guarded({ page, object }: { page: ReactElement; object: 'user' | 'team' | 'role' | 'api_key' | 'audit' | 'settings' | 'company' | 'contact' | 'lead' | 'deal' | 'report' | 'process' }) {
  return (
    <RequirePermission object={object} action="read">
      {page}
    </RequirePermission>
  );
}
