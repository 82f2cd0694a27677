import type { ServiceDeps } from './core/services-deps.js';
import type { Config } from './infra/config.js';
import { diskFileStorage } from './infra/file-storage.js';
import type { MailTransport } from './infra/mail.js';
import { createAttachmentService } from './modules/attachment/attachment.service.js';
import { createPipelineService } from './modules/pipeline/pipeline.service.js';
import { createProductService } from './modules/product/product.service.js';
import { createPriceListService } from './modules/price-list/price-list.service.js';
import { createWorkspaceService } from './modules/workspace/workspace.service.js';
import { createDocumentService } from './modules/document/document.service.js';
import { libreOfficePdfConverter } from './infra/pdf-converter.js';
import { createReportService } from './modules/report/report.service.js';
import { createAutomationService } from './modules/automation/automation.service.js';
import { createWebFormService } from './modules/web-form/web-form.service.js';
import { createLeadDistributionService } from './modules/lead-distribution/lead-distribution.service.js';
import { createApiKeyService } from './modules/api-key/api-key.service.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createMailService } from './modules/mail/mail.service.js';
import { createNotificationService } from './modules/notification/notification.service.js';
import { createRoleService } from './modules/role/role.service.js';
import { createSetupService } from './modules/setup/setup.service.js';
import { createTeamService } from './modules/team/team.service.js';
import { createUserService, userExists } from './modules/user/user.service.js';
import { createClientRecordService } from './modules/client-record/client-record.service.js';
import { COMPANY_DEF, createCompanyService } from './modules/company/company.service.js';
import { CONTACT_DEF, createContactService } from './modules/contact/contact.service.js';
import { createCustomFieldService } from './modules/custom-field/custom-field.service.js';
import { createLeadService, LEAD_DEF } from './modules/lead/lead.service.js';
import { createDealService, DEAL_DEF } from './modules/deal/deal.service.js';
import { createDealItemService } from './modules/deal/deal-item.service.js';
import { createSavedViewService } from './modules/saved-view/saved-view.service.js';
import { createTimelineService } from './modules/timeline/timeline.service.js';
import { createTaskService } from './modules/task/task.service.js';
import { createRotationService } from './modules/rotation/rotation.service.js';
import { createActivityService } from './modules/activity/activity.service.js';
import { createCalendarService } from './modules/calendar/calendar.service.js';
import { createImportService } from './modules/import/import.service.js';
import { createActionLibrary } from './modules/automation/action-library.js';
import { createProcessService } from './modules/process/process.service.js';
import { createExportService } from './modules/export/export.service.js';
import { createDataQualityService } from './modules/data-quality/data-quality.service.js';

const CLIENT_DEFS = { company: COMPANY_DEF, contact: CONTACT_DEF, lead: LEAD_DEF, deal: DEAL_DEF };

/** Wires the module services together; the only place that knows all of them. */
export function createServices(deps: ServiceDeps & { transport: MailTransport | undefined; mailFrom: string; config: Pick<Config, 'filesDir' | 'attachmentMaxBytes'> }) {
  const mail = createMailService(deps);
  const auth = createAuthService(deps);
  const records = createClientRecordService(deps, CLIENT_DEFS);
  const company = createCompanyService(deps);
  const contact = createContactService(deps);
  const deal = createDealService(deps, { records });
  const task = createTaskService({ ...deps, mail });
  const activity = createActivityService({ ...deps, dueSignal: task.dueSignal });
  const lead = createLeadService(deps, { company, contact, records, deal });
  const storage = diskFileStorage(deps.config.filesDir);
  const attachment = createAttachmentService({ ...deps, storage, maxBytes: deps.config.attachmentMaxBytes });
  const pipeline = createPipelineService(deps);
  const dealItems = createDealItemService(deps);
  const product = createProductService(deps);
  const document = createDocumentService({ ...deps, storage, pdf: libreOfficePdfConverter(), maxBytes: deps.config.attachmentMaxBytes, attachment, readers: { company: company.get, contact: contact.get, lead: lead.get, deal: deal.get, dealItems: dealItems.list } });
  const taskEnv = { clock: deps.clock, mail: { queue: mail.queue, publicUrl: deps.config.publicUrl }, signal: task.dueSignal };
  const leadDistribution = createLeadDistributionService(deps, { taskEnv });
  const actionPeers = { taskEnv, mail, deal, contact, document, pipeline, activity };
  const savedView = createSavedViewService(deps, CLIENT_DEFS);
  return {
    mail,
    auth,
    setup: createSetupService({ ...deps, auth }),
    audit: createAuditService(deps),
    notification: createNotificationService(deps),
    role: createRoleService(deps),
    team: createTeamService(deps, { userExists }),
    user: createUserService({ ...deps, mail }),
    apiKey: createApiKeyService(deps),
    customField: createCustomFieldService(deps),
    records,
    company,
    contact,
    lead,
    deal,
    dealItems,
    report: createReportService(deps),
    timeline: createTimelineService(deps),
    activity,
    calendar: createCalendarService({ ...deps, activity }),
    savedView,
    task,
    rotation: createRotationService(deps, { records, tasks: task }),
    pipeline,
    product,
    priceList: createPriceListService(deps),
    workspace: createWorkspaceService(deps),
    attachment,
    imports: createImportService({ ...deps, storage, maxBytes: deps.config.attachmentMaxBytes, records, contact, company, lead, product, deal, pipeline }),
    document,
    exports: createExportService({
      ...deps,
      records,
      savedViews: savedView,
      readers: { company: company.toCompanies, contact: contact.toContacts, lead: lead.toLeads, deal: deal.toDeals },
      mail: taskEnv.mail,
    }),
    leadDistribution,
    dataQuality: createDataQualityService({ ...deps, defs: CLIENT_DEFS, writers: { company, contact, lead } }),
    webForm: createWebFormService(deps, { lead, records, taskEnv, distribution: leadDistribution }),
    automation: createAutomationService(deps, actionPeers),
    process: createProcessService(deps, { actions: createActionLibrary(actionPeers), taskEnv }),
  };
}

export type Services = ReturnType<typeof createServices>;
