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

/** Merge values: text, or for a loop (`{#items}…{/items}`) one set of values per repetition. */
export type MergeValues = Record<string, string | Record<string, string>[]>;

/** The fields a template may use: plain ones, and per loop the fields of one repetition. */
export interface AllowedFields {
  fields: readonly string[];
  loops?: Readonly<Record<string, readonly string[]>>;
}

interface Placeholder {
  type: string;
  value: string;
  module?: string;
  subparsed?: Placeholder[];
}

/** A docxtemplater module that keeps each file's parsed tags (the top level; loops hold theirs in `subparsed`). */
function tagCollector(): { module: Docxtemplater.DXT.Module; files: Placeholder[][] } {
  const files: Placeholder[][] = [];
  const module = {
    name: 'MergeFieldCollector',
    // docxtemplater passes its options second (its typings say modules): a loop's own tags come with `basePart`.
    postparse(parts: Docxtemplater.DXT.Part[], options: unknown) {
      if (!(options as { basePart?: unknown }).basePart) files.push(parts as unknown as Placeholder[]);
      return parts;
    },
  };
  return { module, files };
}

/** Compiles the DOCX in `content` (with `modules` attached); broken tags become a TemplateError. */
function compile(content: Buffer, modules: Docxtemplater.DXT.Module[] = []): Docxtemplater {
  let zip: PizZip;
  try {
    zip = new PizZip(content);
  } catch {
    throw new TemplateError([{ field: null, message: 'The file is not a DOCX document' }]);
  }
  if (!zip.file('word/document.xml')) throw new TemplateError([{ field: null, message: 'The file is not a DOCX document' }]);
  try {
    // A field's dots are part of its name ("owner.name"), looked up as one key of the values (or of a loop's repetition).
    return new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      errorLogging: false,
      nullGetter: () => '',
      modules,
      parser: (field) => ({ get: (scope: Record<string, unknown>) => scope[field] }),
    });
  } catch (error) {
    throw new TemplateError(problemsOf(error));
  }
}

/**
 * The merge fields a template uses, checked against `allowed`: a broken tag or a field the record does not have is a
 * TemplateError naming it. A loop is listed by its name, its fields as "loop.field"; inside a loop the record's own
 * fields may be used too.
 */
export function inspectTemplate(content: Buffer, allowed: AllowedFields): string[] {
  const collector = tagCollector();
  compile(content, [collector.module]);
  const fields: string[] = [];
  const problems: TemplateProblem[] = [];
  const seen = (field: string) => {
    if (!fields.includes(field)) fields.push(field);
  };
  const unknown = (field: string, message: string) => {
    if (!problems.some((problem) => problem.field === field)) problems.push({ field, message });
  };
  const walk = (parts: Placeholder[], loop: string | null) => {
    for (const part of parts.filter((candidate) => candidate.type === 'placeholder')) {
      if (part.module === 'loop') {
        const inner = allowed.loops?.[part.value];
        seen(part.value);
        if (loop !== null || !inner) unknown(part.value, `Unknown merge field "${part.value}"`);
        else walk(part.subparsed ?? [], part.value);
        continue;
      }
      const own = loop !== null && allowed.loops?.[loop]?.includes(part.value);
      seen(own ? `${loop}.${part.value}` : part.value);
      if (!own && !allowed.fields.includes(part.value)) unknown(part.value, loop ? `Unknown merge field "${part.value}" in the loop "${loop}"` : `Unknown merge field "${part.value}"`);
    }
  };
  for (const file of collector.files) walk(file, null);
  if (problems.length > 0) throw new TemplateError(problems);
  return fields;
}

/** The template filled with `values` (a field without a value is left empty), as a DOCX. */
export function fillTemplate(content: Buffer, values: MergeValues): Buffer {
  const doc = compile(content);
  try {
    doc.render(values);
  } catch (error) {
    throw new TemplateError(problemsOf(error));
  }
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}
