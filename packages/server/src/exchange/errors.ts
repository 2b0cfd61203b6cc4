import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the exchange context (EXCHANGE.*), merged into the platform's one map in shared/errors.ts. */
export const EXCHANGE_ERRORS = {
} as const satisfies ErrorTable;
