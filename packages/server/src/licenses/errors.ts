import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the licenses context (LICENSE.*), merged into the platform's one map in shared/errors.ts. */
export const LICENSE_ERRORS = {
} as const satisfies ErrorTable;
