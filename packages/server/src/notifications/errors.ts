import type { ErrorTable } from '../shared/errors.ts';

export const NOTIFICATION_ERRORS = {
  'NOTIFICATION.NOT_FOUND': [404, '通知不存在', 'No such notification'],
} as const satisfies ErrorTable;
