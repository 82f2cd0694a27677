import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';

/** What is wrong with a template: the merge field (or broken tag) it is about, when there is one, and why. */
export interface TemplateProblem {
  field: string | null;
  message: string;
}

/** A file that cannot serve as a template; `problems` names each broken or unknown merge field. */
export class TemplateError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((problem) => problem.message).join('; '));
  }
}

interface DocxtemplaterError {
  properties?: { id?: string; xtag?: string; explanation?: string; errors?: DocxtemplaterError[] };
}

function problemsOf(error: unknown): TemplateProblem[] {
  const { properties } = error as DocxtemplaterError;
  if (properties?.errors) return properties.errors.flatMap(problemsOf);
  if (properties?.explanation) return [{ field: properties.xtag ?? null, message: properties.explanation }];
  throw error;
}

/** Compiles the DOCX in `content`, telling each merge field it holds to `onField`; broken tags become a TemplateError. */
function compile(content: Buffer, onField: (field: string) => unknown = () => undefined): Docxtemplater {
  let zip: PizZip;
  try {
    zip = new PizZip(content);
  } catch {
    throw new TemplateError([{ field: null, message: 'The file is not a DOCX document' }]);
  }
  if (!zip.file('word/document.xml')) throw new TemplateError([{ field: null, message: 'The file is not a DOCX document' }]);
  try {
    // A field's dots are part of its name ("owner.name"), looked up as one key of the flat data.
    return new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      errorLogging: false,
      nullGetter: () => '',
      parser: (field) => {
        onField(field);
        return { get: (scope: Record<string, unknown>) => scope[field] };
      },
    });
  } catch (error) {
    throw new TemplateError(problemsOf(error));
  }
}

/**
 * The merge fields a template uses, checked against `allowed`: a broken tag or a field the record does not have is a
 * TemplateError naming it. Loops (`{#…}`) are not offered, so they are unknown fields too.
 */
export function inspectTemplate(content: Buffer, allowed: readonly string[]): string[] {
  const fields: string[] = [];
  const seen = (field: string) => {
    if (!fields.includes(field)) fields.push(field);
  };
  // The parser is asked for each field at compile time.
  compile(content, seen);
  const unknown = fields.filter((field) => !allowed.includes(field));
  if (unknown.length > 0) throw new TemplateError(unknown.map((field) => ({ field, message: `Unknown merge field "${field}"` })));
  return fields;
}

/** The template filled with `values` (a field without a value is left empty), as a DOCX. */
export function fillTemplate(content: Buffer, values: Record<string, string>): Buffer {
  const doc = compile(content);
  try {
    doc.render(values);
  } catch (error) {
    throw new TemplateError(problemsOf(error));
  }
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}
