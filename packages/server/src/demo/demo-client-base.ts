import type { CompanyBody, ContactBody, Lead, LeadBody } from '@rapport/shared';

/** The demo users by their place in the org chart; seed-demo.ts creates them. */
export const DEMO_USERS = ['admin', 'head', 'managerMsk', 'repMsk1', 'repMsk2', 'managerSpb', 'repSpb'] as const;
export type DemoUser = (typeof DEMO_USERS)[number];

export const LOYALTY_LEVELS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export type LoyaltyLevel = (typeof LOYALTY_LEVELS)[number];

/** Owner, team and custom values are filled in by the seeder from these keys. */
type Seeded = 'ownerId' | 'teamId' | 'custom' | 'keepInvalidAsNote';

export interface DemoCompany extends Omit<CompanyBody, Seeded | 'parentId'> {
  key: string;
  owner: DemoUser;
  /** Key of the holding company this one belongs to (listed earlier). */
  parent?: string;
  creditLimit?: number;
  notes?: string[];
}

export interface DemoContact extends Omit<ContactBody, Seeded | 'companies'> {
  owner: DemoUser;
  companies: { company: string; role: string }[];
  loyalty?: LoyaltyLevel;
  notes?: string[];
}

export interface DemoLead extends Omit<LeadBody, Seeded | 'status' | 'disqualifyReason'> {
  owner: DemoUser;
  status: Lead['status'];
  disqualifyReason?: string;
  /** Key of an existing company the lead is converted into (with a new contact). */
  convertInto?: string;
  notes?: string[];
}

/** One language's client base of the demo workspace. */
export interface DemoClientBase {
  loyaltyField: { label: string; options: Record<LoyaltyLevel, string> };
  creditLimitField: { label: string };
  views: { keyCustomers: string; loyalContacts: string; openLeads: string };
  companies: DemoCompany[];
  contacts: DemoContact[];
  leads: DemoLead[];
}
