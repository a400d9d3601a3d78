// The case file (issue 31): the forms a case can print now, each as a page or a PDF, and the
// whole file as a PDF, a ZIP (the PDF and the JSON export) or the JSON alone. Read as the case is
// read (404 outside the reader's scope; collaborators never); every print is an audit event
// `case.printed` that the case's timeline shows, and every page says who printed it and when.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { zipSync, strToU8 } from 'fflate';
import { PRINTED } from '../../db/lifecycle';
import { CaseFileExportSchema, CaseFormSchema, FILE_FORMATS, FORM_FORMATS, PRINT_LANGUAGES, type CaseFileExport } from '../../domain/case-file';
import { allow } from '../auth';
import type { PrintedDocument, PrintLanguage } from '../case-file/document';
import { FILE_TITLE, fileParts } from '../case-file/file';
import { buildForm, formNames, offeredForms } from '../case-file/forms';
import { renderHtml } from '../case-file/html';
import { renderPdf } from '../case-file/pdf';
import { caseFileRecord, caseFormFacts, onPaper, printHeader } from '../case-file/record';
import { newRouter, type ApiDeps, type AppEnv } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const STAFF = ['social_worker', 'supervisor', 'manager'] as const;
const BINARY = { schema: z.string().openapi({ format: 'binary' }) };
const Lang = z.enum(PRINT_LANGUAGES).default('vi').describe('The language of the printed words (the centre’s paper is Vietnamese); the facts are as recorded');

export function caseFileRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/forms',
      summary: 'The forms this case can print now (Decree 56/2017’s steps that have happened, and one per referral), and its whole file',
      middleware: [allow(...STAFF)] as const,
      request: { params: IdParam },
      responses: {
        200: jsonContent(z.object({ items: z.array(CaseFormSchema), file: z.object({ href: z.string() }) }), 'In the order of the process'),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'case.forms', caseId: id });
      const facts = await caseFormFacts(sql, id, c.get('principal'));
      const items = offeredForms(facts).map((f) => ({ form: f.name, title: f.title, step: f.step, href: `/cases/${id}/forms/${f.name}` }));
      return c.json({ items, file: { href: `/cases/${id}/file` } }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/forms/{form}',
      summary: 'One form of the case, as the A4 page (format=html, the default) or a PDF; recorded on the case’s timeline as case.printed',
      middleware: [allow(...STAFF)] as const,
      request: {
        params: IdParam.extend({ form: z.string().openapi({ param: { name: 'form', in: 'path' } }) }),
        query: z.object({ format: z.enum(FORM_FORMATS).default('html'), lang: Lang }),
      },
      responses: {
        200: {
          description: 'The form',
          content: { 'text/html': { schema: z.string() }, 'application/pdf': BINARY },
        },
        ...errorResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { id, form } = c.req.valid('param');
      const { format, lang } = c.req.valid('query');
      c.set('audit', { action: PRINTED, caseId: id, detail: { form: form.slice(0, 100), format, lang } });
      const r = await onPaper(sql, await caseFileRecord(sql, id, c.get('principal')));
      const built = buildForm(r, form, lang);
      if (!built) {
        const names = formNames(r).join(', ');
        throw new ApiError('unknown_form', [{ path: 'form', message: { vi: `các biểu mẫu: ${names}`, en: `the forms: ${names}` } }]);
      }
      if ('notReady' in built) {
        const { step, label } = built.notReady;
        throw new ApiError('form_not_ready', [
          { path: 'form', message: { vi: `cần bước ${step} (${label.vi}) trước`, en: `needs the step ${step} (${label.en}) first` } },
        ]);
      }
      const doc: PrintedDocument = { header: await printHeader(sql, r, lang), title: built.title, contents: false, parts: [built] };
      return await answer(c, doc, format, `${r.case.ref}-${form}`);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/file',
      summary:
        'The whole case file: every form, referrals and their answers, placements, programmes, notes and the timeline, as one PDF with its contents (format=pdf, the default), a ZIP of that PDF and the JSON export, or the JSON export alone',
      middleware: [allow(...STAFF)] as const,
      request: { params: IdParam, query: z.object({ format: z.enum(FILE_FORMATS).default('pdf'), lang: Lang }) },
      responses: {
        200: {
          description: 'The file',
          content: {
            'application/pdf': BINARY,
            'application/zip': BINARY,
            'application/json': { schema: CaseFileExportSchema },
          },
        },
        ...errorResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { format, lang } = c.req.valid('query');
      c.set('audit', { action: PRINTED, caseId: id, detail: { form: 'file', format, lang } });
      const r = await caseFileRecord(sql, id, c.get('principal'));
      if (format === 'json') return c.json(r, 200, { 'cache-control': 'no-store' });
      const doc = await wholeFile(sql, await onPaper(sql, r), lang);
      if (format === 'pdf') return await answer(c, doc, 'pdf', `${r.case.ref}-ho-so`);
      const zip = zipSync({
        [`${r.case.ref}-ho-so.pdf`]: new Uint8Array(await renderPdf(doc)),
        [`${r.case.ref}-ho-so.json`]: strToU8(JSON.stringify(r, null, 2)),
      });
      return c.body(zip, 200, downloadHeaders('application/zip', `${r.case.ref}-ho-so.zip`, 'attachment'));
    },
  );

  return router;
}

async function wholeFile(sql: ApiDeps['sql'], r: CaseFileExport, lang: PrintLanguage): Promise<PrintedDocument> {
  return { header: await printHeader(sql, r, lang), title: `${FILE_TITLE[lang]} ${r.case.ref}`, contents: true, parts: fileParts(r, lang) };
}

async function answer(c: Context<AppEnv>, doc: PrintedDocument, format: 'html' | 'pdf', name: string): Promise<Response> {
  if (format === 'html') return c.html(renderHtml(doc), 200, { 'cache-control': 'no-store' });
  return c.body(new Uint8Array(await renderPdf(doc)), 200, downloadHeaders('application/pdf', `${name}.pdf`, 'inline'));
}

/** A case's papers are never kept by a cache on the way. */
function downloadHeaders(type: string, filename: string, disposition: 'inline' | 'attachment') {
  return { 'content-type': type, 'content-disposition': `${disposition}; filename="${filename}"`, 'cache-control': 'no-store' };
}
