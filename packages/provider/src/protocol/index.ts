/** Protocol MZX1 as both sides use it: canonical strings, headers, item definitions, reasons. */
export * from './batch.ts';
export * from './canonical.ts';
export * from './items.ts';
export * from './legal-basis.ts';
export * from './messages.ts';
export * from './reasons.ts';
export * from './standard-items.ts';
export { purposeLabel, PURPOSES, type PurposeCode } from './purposes.ts';
export * from './client.ts';
