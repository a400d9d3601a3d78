// POST /imports: a centre's past register (text/csv or XLSX, columns in the README), for administrators.
// 200 with what was accepted, what was there already unchanged, and every rejected row with its
// column and reason — even when some rows were rejected; nothing of a rejected row is kept.
import { createRoute, z } from '@hono/zod-openapi';
import { provinceName } from '../../db/directory';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { importRegister } from '../imports';
import { readRegisterCsv, readRegisterXlsx, XLSX_TYPE } from '../register-file';
import { errorResponses, jsonContent } from '../schemas';

const ImportReportSchema = z
  .object({
    accepted: z.int().describe('Rows brought in now'),
    unchanged: z.int().describe('Rows imported before, with the same values'),
    rejected: z.array(z.object({ row: z.int(), column: z.string(), message: z.string() })).describe('Row 1 is the header'),
    ignoredColumns: z.array(z.string()).describe('Columns that are not the register’s, read past'),
  })
  .openapi('ImportReport');

export function importsRouter(deps: ApiDeps) {
  const router = newRouter();
  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Import a past register (CSV) into your province',
      middleware: [allow('admin')] as const,
      request: {
        body: {
          required: true,
          content: {
            'text/csv': { schema: z.string().describe('A register: see the README for its columns') },
            [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }).describe('The same, as the first sheet of a workbook') },
          },
        },
      },
      responses: { 200: jsonContent(ImportReportSchema, 'What was imported, and why any row was not'), ...errorResponses(403, 413, 415) },
    }),
    async (c) => {
      const p = c.get('principal');
      c.set('audit', { action: 'register.import' });
      const xlsx = (c.req.header('content-type') ?? '').startsWith(XLSX_TYPE);
      const read = xlsx ? await readRegisterXlsx(await c.req.arrayBuffer()) : readRegisterCsv(await c.req.text());
      const report = await importRegister(deps, p, (await provinceName(deps.sql, p.province)) ?? p.province, read);
      c.set('audit', { action: 'register.import', detail: { accepted: report.accepted, unchanged: report.unchanged, rejected: report.rejected.length } });
      return c.json(report, 200);
    },
  );
  return router;
}
