import type { Locale } from '@rapport/shared';
import type { Services } from '../services.js';
import { DEMO_USERS, type DemoUser } from './demo-client-base.js';
import type { SeededClientBase } from './seed-client-base.js';

interface DemoDeal {
  /** The company the deal is with (its owner works it, with the owner's contact there). */
  company: string;
  title: Record<Locale, string>;
  amount: string;
  /** Position of the stage it has reached in the default pipeline (0: the first); it walks there stage by stage. */
  stage: number;
  lostReason?: Record<Locale, string>;
}

const DEALS: DemoDeal[] = [
  { company: 'stores', title: { en: 'Shelving refit for 12 stores', ru: 'Переоснащение 12 магазинов' }, amount: '48000', stage: 2 },
  { company: 'express', title: { en: 'Refrigerated display cases', ru: 'Холодильные витрины' }, amount: '12500', stage: 0 },
  { company: 'cafe', title: { en: 'Coffee machine lease', ru: 'Аренда кофемашин' }, amount: '3600', stage: 1 },
  { company: 'grocer', title: { en: 'Annual supply contract', ru: 'Годовой договор поставки' }, amount: '27000', stage: 3 },
  { company: 'deli', title: { en: 'Deli counter equipment', ru: 'Оборудование для отдела деликатесов' }, amount: '8400', stage: 4 },
  { company: 'meat', title: { en: 'Cold storage expansion', ru: 'Расширение холодильного склада' }, amount: '15000', stage: 5, lostReason: { en: 'Chose a cheaper supplier', ru: 'Выбрали поставщика дешевле' } },
  { company: 'dairy', title: { en: 'Packaging for the dairy line', ru: 'Упаковка для молочной линии' }, amount: '6200', stage: 1 },
  { company: 'logistics', title: { en: 'Delivery fleet tracking', ru: 'Мониторинг автопарка' }, amount: '9900', stage: 0 },
];

/** Deals on the default pipeline's board, each entered by its company's owner and moved stage by stage (a real history). */
export async function seedDeals(services: Services, base: SeededClientBase, userIds: Record<DemoUser, string>, locale: Locale): Promise<void> {
  const pipelines = await services.pipeline.list(base.as.admin);
  const stages = (pipelines.find((pipeline) => pipeline.isDefault) ?? pipelines[0])!.stages;
  for (const demo of DEALS) {
    const company = base.companies.get(demo.company);
    if (!company) throw new Error(`Demo deal names company "${demo.company}", which the demo has not`);
    const owner = DEMO_USERS.find((user) => userIds[user] === company.ownerId)!;
    const ctx = base.as[owner];
    const person = base.contacts.find((entry) => entry.owner === owner && entry.companyKeys.includes(demo.company));
    let deal = await services.deal.create(ctx, {
      title: demo.title[locale],
      amount: demo.amount,
      companyId: company.id,
      contacts: person ? [{ contactId: person.contact.id, role: person.contact.position }] : [],
      ownerId: company.ownerId,
    });
    // A lost deal is lost from the stage it had reached; the others walk to theirs.
    const last = demo.lostReason ? 2 : demo.stage;
    for (let position = 1; position <= last; position += 1) deal = await services.deal.move(ctx, deal.id, { stageId: stages[position]!.id }, deal.version);
    if (demo.lostReason) await services.deal.move(ctx, deal.id, { stageId: stages[demo.stage]!.id, lostReason: demo.lostReason[locale] }, deal.version);
  }
}
