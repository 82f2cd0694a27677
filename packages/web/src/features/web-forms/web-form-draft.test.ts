import type { CustomField, WebForm } from '@rapport/shared';
import { describe, expect, it } from 'vitest';
import { draftOf, embedSnippet, toBody } from './web-form-draft';

const label = (key: string) => `L:${key}`;
const budget = { id: 'f1', object: 'lead', key: 'budget', label: 'Budget', kind: 'number', options: [], relationObject: null, currency: null, required: false, filterable: false, showInList: false, position: 0, createdAt: '', version: 1 } as CustomField;
const tags = { ...budget, id: 'f2', key: 'tags', label: 'Tags', kind: 'multiselect' } as CustomField;

describe('web form draft', () => {
  it('starts a new form with name, phone and e-mail, and offers only fillable custom fields', () => {
    const draft = draftOf(null, [budget, tags], label);
    expect(draft.fields.filter((field) => field.on).map((field) => [field.key, field.label, field.required])).toEqual([
      ['name', 'L:name', true],
      ['phone', 'L:phone', true],
      ['email', 'L:email', false],
    ]);
    expect(draft.fields.map((field) => field.key)).toContain('custom.budget');
    expect(draft.fields.map((field) => field.key)).not.toContain('custom.tags');
  });

  it('keeps a saved form in its order and sends back what is on, with origins one a line', () => {
    const form = { id: 'x', name: 'Req', fields: [{ key: 'email', label: 'Mail', required: true }, { key: 'custom.budget', label: 'How much', required: false }], assignment: { mode: 'round_robin', userId: null, teamId: 't1' }, successMessage: 'Thanks', redirectUrl: null, allowedOrigins: [], enabled: true } as unknown as WebForm;
    const draft = draftOf(form, [budget], label);
    expect(draft.fields.slice(0, 2).map((field) => field.key)).toEqual(['email', 'custom.budget']);
    const body = toBody({ ...draft, allowedOrigins: 'https://a.example/\n https://b.example ' });
    expect(body).toMatchObject({ name: 'Req', fields: [{ key: 'email', label: 'Mail', required: true }, { key: 'custom.budget', label: 'How much', required: false }], assignment: { mode: 'round_robin', teamId: 't1' }, allowedOrigins: ['https://a.example', 'https://b.example'], redirectUrl: null });
  });

  it('makes the snippet from the address Rapport is served at', () => {
    expect(embedSnippet('https://crm.example', 'abc')).toBe('<div data-rapport-form="abc"></div>\n<script src="https://crm.example/embed/forms.js" async></script>');
  });
});
