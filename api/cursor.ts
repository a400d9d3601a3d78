// Opaque page cursors: the (createdAt, id) of the last item, base64url-encoded.
import { isUuid } from '../domain/ids';
import { ApiError } from './errors';

export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  const [createdAt = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // A forged instant PostgreSQL cannot hold (year 0, year −271821) is as wrong as a forged id.
  if (!isUuid(id) || !/^\d{4}-\d\d-\d\dT/.test(createdAt) || createdAt.startsWith('0000') || Number.isNaN(Date.parse(createdAt))) {
    throw new ApiError('invalid_cursor', [{ path: 'cursor', message: { vi: 'dùng nextCursor của trang trước', en: 'use nextCursor from the previous page' } }]);
  }
  return { createdAt, id };
}
