import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceError } from './service-error.js';

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

/**
 * Substitutes `{{name}}` placeholders. Values are inserted verbatim: the caller escapes them for the target
 * format (command-quote.ts). A placeholder without a value is an error with its position.
 */
export function renderTemplate(text: string, vars: Readonly<Record<string, string>>, file = '<template>'): string {
  return text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    const value = vars[name];
    if (value !== undefined) return value;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw new ServiceError('SVC_TEMPLATE_UNKNOWN_VAR', `no value for ${whole}`, { file, line, column });
  });
}

/** Reads `config/<relPath>` under the package root and renders it. */
export function renderTemplateFile(packageRoot: string, relPath: string, vars: Readonly<Record<string, string>>): string {
  const file = join(packageRoot, 'config', relPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ServiceError('SVC_TEMPLATE_MISSING', `cannot read template ${file}: ${(err as Error).message}`);
  }
  return renderTemplate(text, vars, file);
}
