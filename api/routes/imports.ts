// POST /imports: a centre's past records (text/csv or XLSX, columns in the README), for administrators:
// its register of cases (the default, `kind=register`) or its hotline log of contacts
// (`kind=contacts`). 200 with what was accepted, what was there already unchanged, and every
// rejected row with its column and reason in the caller's language — even when some rows were
// rejected; nothing of a rejected row is kept. A log's answer also lists the rows whose facts
// route to the emergency path (C1, api/imports.ts): imported as the log says, for someone to read.
import { createRoute, z } from '@hono/zod-openapi';
import { provinceName } from '../../db/directory';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { languageOf } from '../errors';
import { importContacts, importRegister, type ImportReport } from '../imports';
import { readContactLogCsv, readContactLogXlsx, readRegisterCsv, readRegisterXlsx, XLSX_TYPE } from '../register-file';
import { errorResponses, jsonContent } from '../schemas';

const ImportReportSchema = z
  .object({
    accepted: z.int().describe('Rows brought in now'),
    unchanged: z.int().describe('Rows imported before, with the same values'),
    rejected: z.array(z.object({ row: z.int(), column: z.string(), message: z.string() })).describe('Row 1 is the header'),
    ignoredColumns: z.array(z.string()).describe('Columns that are not the file’s kind’s, read past'),
    emergencies: z
      .array(z.object({ row: z.int(), logNo: z.string(), contactId: z.uuid(), ref: z.string() }))
      .optional()
      .describe(
        'kind=contacts only: rows whose facts the published ruleset routes to the emergency path (C1), imported as the log says with no case; listed on every run until a case is opened from one (POST /contacts/{id}/case)',
      ),
  })
  .openapi('ImportReport');

const ImportQuery = z.object({
  kind: z.enum(['register', 'contacts']).default('register').describe('register: past cases (the default); contacts: a past hotline log'),
});

export function importsRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Import a past register, or with kind=contacts a past hotline log (CSV or XLSX), into your province',
      middleware: [allow('admin')] as const,
      request: {
        query: ImportQuery,
        body: {
          required: true,
          content: {
            'text/csv': { schema: z.string().describe('A register or a hotline log: see the README for their columns') },
            [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }).describe('The same, as the first sheet of a workbook') },
          },
        },
      },
      responses: { 200: jsonContent(ImportReportSchema, 'What was imported, and why any row was not'), ...errorResponses(403, 413, 415) },
    }),
    async (c) => {
      const p = c.get('principal');
      const { kind } = c.req.valid('query');
      const action = kind === 'contacts' ? 'contact.import' : 'register.import';
      c.set('audit', { action });
      const xlsx = (c.req.header('content-type') ?? '').startsWith(XLSX_TYPE);
      const name = (await provinceName(deps.sql, p.province)) ?? p.province;
      let report: ImportReport;
      if (kind === 'contacts') {
        const read = xlsx ? await readContactLogXlsx(await c.req.arrayBuffer()) : readContactLogCsv(await c.req.text());
        report = await importContacts(deps, p, name, read);
      } else {
        const read = xlsx ? await readRegisterXlsx(await c.req.arrayBuffer()) : readRegisterCsv(await c.req.text());
        report = await importRegister(deps, p, name, read);
      }
      c.set('audit', { action, detail: { accepted: report.accepted, unchanged: report.unchanged, rejected: report.rejected.length } });
      const lang = languageOf(c);
      const rejected = report.rejected.map((r) => ({ ...r, message: typeof r.message === 'string' ? r.message : r.message[lang] }));
      return c.json({ ...report, rejected }, 200);
    },
  );
  return router;
}
