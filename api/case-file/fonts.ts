// The printed forms' font, stated once: DejaVu Serif carries every Vietnamese letter. The PDF
// embeds it (pdf.ts); the HTML page (html.ts) asks for it at /app/fonts/, where the console serves
// these three files and no other, so a form looks the same whatever fonts the printing computer has.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const FONT_FILES = { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf', italic: 'DejaVuSerif-Italic.ttf' } as const;
export type FontName = keyof typeof FONT_FILES;
/** Where the console serves them. */
export const FONT_PATH = '/app/fonts/';

// Resolved like an import, so it does not depend on the directory the server was started from.
const FOLDER = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const SERVED: ReadonlySet<string> = new Set(Object.values(FONT_FILES));
const read = new Map<string, Promise<Buffer>>();

/** One of the three files, read once per process; undefined for any other name. */
export function fontFile(file: string): Promise<Buffer> | undefined {
  if (!SERVED.has(file)) return undefined;
  let font = read.get(file);
  if (!font) {
    font = readFile(join(FOLDER, file));
    read.set(file, font);
    // A failed read (a broken install) is tried again next time, not remembered.
    font.catch(() => read.delete(file));
  }
  return font;
}
