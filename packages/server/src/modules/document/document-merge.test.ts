import { describe, expect, it } from 'vitest';
import { docxOf, docxText } from '../../../../../e2e/docx.mjs';
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
    expect(inspectTemplate(docxOf(['Dear {name},', ['Your manager: {own', 'er.na', 'me}'], 'Again {name}']), ALLOWED)).toEqual(['name', 'owner.name']);
  });

  it('names each unknown field and each broken tag', () => {
    expect(problemsOf(() => inspectTemplate(docxOf(['{name} {amount} {#items}{/items}']), ALLOWED))).toEqual([
      { field: 'amount', message: 'Unknown merge field "amount"' },
      { field: 'items', message: 'Unknown merge field "items"' },
    ]);
    const broken = problemsOf(() => inspectTemplate(docxOf(['Dear {name', 'INN {{inn}']), ALLOWED));
    expect(broken.map((problem) => problem.field)).toEqual(['nameINN', '{{inn}']);
    expect(broken[0]?.message).toContain('unclosed');
  });

  it('refuses a file that is not a DOCX', () => {
    expect(problemsOf(() => inspectTemplate(Buffer.from('plain text'), ALLOWED))).toEqual([{ field: null, message: 'The file is not a DOCX document' }]);
  });

  it('fills the fields, escaping what would break the XML and leaving missing values empty', () => {
    const filled = fillTemplate(docxOf(['Dear {name},', ['INN: {i', 'nn}.'], 'Manager: {owner.name}']), { name: 'Smith & <Sons>', 'owner.name': 'Anna' });
    expect(docxText(filled)).toEqual(['Dear Smith & <Sons>,', 'INN: .', 'Manager: Anna']);
  });
});
