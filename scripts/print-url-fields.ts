// Prints the URL field table of docs/url-fields.md from the schema (the single source of truth):
// `npx tsx scripts/print-url-fields.ts`. tests/unit/readme.test.ts checks docs/url-fields.md still matches.
import { FIELDS, type FieldSpec } from '../src/core/config/schema';
import { formatSchedule } from '../src/core/config/url-codec';

export function fieldTypeAndRange(field: FieldSpec): string {
  switch (field.kind) {
    case 'enum':
      return field.values.map((v) => `\`${v}\``).join(' \\| ');
    case 'classes':
      return 'comma list of 0-9';
    case 'int':
      return `integer ${field.min}-${field.max}`;
    case 'float':
      return `number ${field.min}-${field.max}`;
    case 'schedule':
      return 'comma list of iteration:method';
  }
}

export function urlFieldTable(): string {
  const rows = FIELDS.map((field) => {
    const value =
      field.kind === 'schedule'
        ? formatSchedule(field.default as never)
        : Array.isArray(field.default)
          ? field.default.join(',')
          : String(field.default);
    return `| \`${field.key}\` | ${fieldTypeAndRange(field)} | \`${value}\` | ${field.doc} |`;
  });
  return ['| name | type and range | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

if (process.argv[1]?.endsWith('print-url-fields.ts')) console.log(urlFieldTable());
