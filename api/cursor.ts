// Page cursors: the (createdAt, id) of the last item of a page, as `<epoch milliseconds>_<uuid>`.
// Any text of that form is a position a page can start from (within the caller's scope, as every
// page is), so the schema states the form and the database can hold every value it allows.
import { z } from '@hono/zod-openapi';

/** Up to 13 digits of milliseconds: no later than the year 2286, which PostgreSQL holds. */
const FORM = /^([0-9]{1,13})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface CursorPosition {
  createdAt: string;
  id: string;
}

export const CursorSchema = z
  .string()
  .regex(FORM)
  .openapi({ description: 'nextCursor of the previous page', example: '1795467600000_3b89d8af-27c7-4dd8-b814-c5dded1b93ba' });

export function encodeCursor(position: CursorPosition): string {
  return `${Date.parse(position.createdAt)}_${position.id.toLowerCase()}`;
}

/** A cursor the schema has checked. */
export function decodeCursor(cursor: string): CursorPosition {
  const [, ms = '0', id = ''] = FORM.exec(cursor) ?? [];
  return { createdAt: new Date(Number(ms)).toISOString(), id };
}
