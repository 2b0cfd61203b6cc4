import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the applications context (APPLICATION.*), merged into the platform's one map in shared/errors.ts. */
export const APPLICATION_ERRORS = {
} as const satisfies ErrorTable;
