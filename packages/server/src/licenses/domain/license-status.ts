/**
 * License status: a state machine as a transition table, and the IETF Token Status List
 * (draft-ietf-oauth-status-list) encoding of statuses, 2 bits per license.
 * Expiry is not a state: it follows from the validity period at the time of verification.
 */
export type LicenseStatus = 'valid' | 'suspended' | 'revoked';
export type StatusAction = 'suspend' | 'reinstate' | 'revoke';
export const LICENSE_STATUSES: readonly LicenseStatus[] = ['valid', 'suspended', 'revoked'];
export const STATUS_ACTIONS: readonly StatusAction[] = ['suspend', 'reinstate', 'revoke'];

/** The only allowed transitions; revoked is final. */
export const STATUS_TRANSITIONS: Readonly<Record<LicenseStatus, Partial<Record<StatusAction, LicenseStatus>>>> = {
  valid: { suspend: 'suspended', revoke: 'revoked' },
  suspended: { reinstate: 'valid', revoke: 'revoked' },
  revoked: {},
};

export function nextStatus(from: LicenseStatus, action: StatusAction): LicenseStatus | undefined {
  return STATUS_TRANSITIONS[from][action];
}

/** Status values of the Token Status List: 0x00 VALID, 0x01 INVALID (revoked), 0x02 SUSPENDED. */
export const STATUS_LIST_BITS = 2;
export const STATUS_VALUE: Record<LicenseStatus, number> = { valid: 0, revoked: 1, suspended: 2 };

export function statusFromValue(v: number): LicenseStatus | undefined {
  return v === 0 ? 'valid' : v === 1 ? 'revoked' : v === 2 ? 'suspended' : undefined;
}

/**
 * Packs statuses into the byte array of a status list: entry i occupies bits
 * [i·bits, (i+1)·bits) counted from the least significant bit of byte 0 (as the draft specifies).
 */
export function packStatusList(values: ReadonlyMap<number, number>, size: number, bits = STATUS_LIST_BITS): Uint8Array {
  const perByte = 8 / bits;
  const bytes = new Uint8Array(Math.max(1, Math.ceil(size / perByte)));
  for (const [idx, value] of values) {
    if (idx < 0 || idx >= size) continue;
    bytes[Math.floor(idx / perByte)]! |= (value & ((1 << bits) - 1)) << ((idx % perByte) * bits);
  }
  return bytes;
}

/** The status value at an index, or undefined past the end of the list. */
export function readStatusValue(bytes: Uint8Array, idx: number, bits = STATUS_LIST_BITS): number | undefined {
  if (![1, 2, 4, 8].includes(bits) || !Number.isInteger(idx) || idx < 0) return undefined;
  const perByte = 8 / bits;
  const byte = bytes[Math.floor(idx / perByte)];
  if (byte === undefined) return undefined;
  return (byte >> ((idx % perByte) * bits)) & ((1 << bits) - 1);
}
