import { describe, expect, it } from 'vitest';
import { docxOf, docxRows, docxText } from '../../../../../e2e/docx.mjs';
import { fillTemplate, inspectTemplate, TemplateError } from './document-merge.js';

const ALLOWED = ['name', 'owner.name', 'inn'];

function problemsOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    if (error instanceof TemplateError) return error.problems;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('document templates', () => {
  it('finds the merge fields, also where Word split a field over several runs', () => {
    expect(inspectTemplate(docxOf(['Dear {name},', ['Your manager: {own', 'er.na', 'me}'], 'Again {name}']), { fields: ALLOWED })).toEqual(['name', 'owner.name']);
  });

  it('names each unknown field and each broken tag', () => {
    expect(problemsOf(() => inspectTemplate(docxOf(['{name} {amount} {#items}{/items}']), { fields: ALLOWED }))).toEqual([
      { field: 'amount', message: 'Unknown merge field "amount"' },
      { field: 'items', message: 'Unknown merge field "items"' },
    ]);
    const broken = problemsOf(() => inspectTemplate(docxOf(['Dear {name', 'INN {{inn}']), { fields: ALLOWED }));
    expect(broken.map((problem) => problem.field)).toEqual(['nameINN', '{{inn}']);
    expect(broken[0]?.message).toContain('unclosed');
  });

  it('accepts a loop with its own fields and the record’s, and names an unknown field inside it', () => {
    const allowed = { fields: ALLOWED, loops: { items: ['name', 'total'] } };
    const table = docxOf(['Offer for {name}', { row: ['{#items}{name}', '{total} {inn}{/items}'] }]);
    expect(inspectTemplate(table, allowed)).toEqual(['name', 'items', 'items.name', 'items.total', 'inn']);
    expect(problemsOf(() => inspectTemplate(docxOf([{ row: ['{#items}{name}', '{price}{/items}'] }, '{total}']), allowed))).toEqual([
      { field: 'price', message: 'Unknown merge field "price" in the loop "items"' },
      { field: 'total', message: 'Unknown merge field "total"' },
    ]);
    expect(problemsOf(() => inspectTemplate(docxOf(['{#name}x{/name}']), allowed))).toEqual([{ field: 'name', message: 'Unknown merge field "name"' }]);
  });

  it('repeats a table row per item', () => {
    const table = docxOf(['Offer for {name}', { row: ['{#items}{name}', '{total}{/items}'] }]);
    const filled = fillTemplate(table, { name: 'Stroy', items: [{ name: 'Window', total: '10.00' }, { name: 'Door', total: '5.50' }] });
    expect(docxRows(filled)).toEqual([
      ['Window', '10.00'],
      ['Door', '5.50'],
    ]);
    expect(docxRows(fillTemplate(table, { name: 'Stroy', items: [] }))).toEqual([]);
  });

  it('refuses a file that is not a DOCX', () => {
    expect(problemsOf(() => inspectTemplate(Buffer.from('plain text'), { fields: ALLOWED }))).toEqual([{ field: null, message: 'The file is not a DOCX document' }]);
  });

  it('fills the fields, escaping what would break the XML and leaving missing values empty', () => {
    const filled = fillTemplate(docxOf(['Dear {name},', ['INN: {i', 'nn}.'], 'Manager: {owner.name}']), { name: 'Smith & <Sons>', 'owner.name': 'Anna' });
    expect(docxText(filled)).toEqual(['Dear Smith & <Sons>,', 'INN: .', 'Manager: Anna']);
  });
});
