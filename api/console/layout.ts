// The one page layout of what people read in a browser: the staff console and the partner's page.
// Vietnamese first (lang="vi"), English beside it in grey; sized for a 360-px phone.
import { html } from 'hono/html';
import type { Bilingual } from '../../domain/stages';

export function page(title: Bilingual, body: unknown) {
  return html`<!doctype html>
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title.vi} · ${title.en}</title>
        <style>
          body {
            font:
              16px/1.5 system-ui,
              sans-serif;
            margin: 0 auto;
            max-width: 40rem;
            padding: 1rem;
            color: #1d2430;
          }
          h1 {
            font-size: 1.3rem;
          }
          .en {
            color: #5a6475;
            font-size: 0.9em;
          }
          dl {
            display: grid;
            grid-template-columns: minmax(7rem, auto) 1fr;
            gap: 0.3rem 1rem;
          }
          dt {
            font-weight: 600;
          }
          textarea {
            width: 100%;
            min-height: 4rem;
            box-sizing: border-box;
            font: inherit;
          }
          button {
            font: inherit;
            padding: 0.6rem 1rem;
            margin: 0.3rem 0.3rem 0.3rem 0;
            border-radius: 0.4rem;
            border: 1px solid #345;
            cursor: pointer;
          }
          .accept,
          .complete {
            background: #1f6f43;
            color: #fff;
          }
          .decline {
            background: #fff;
            color: #8a1c1c;
            border-color: #8a1c1c;
          }
          input[type='text'],
          input[type='password'] {
            display: block;
            width: 100%;
            box-sizing: border-box;
            font: inherit;
            padding: 0.5rem;
            margin: 0.2rem 0 0.8rem;
          }
          .accept .en,
          .complete .en {
            color: #e3f1e8;
          }
          .error {
            color: #8a1c1c;
            font-weight: 600;
          }
          :focus-visible {
            outline: 3px solid #1f6f43;
            outline-offset: 2px;
          }
          #said {
            font-weight: 600;
          }
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}
