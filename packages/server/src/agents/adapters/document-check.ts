import { parseIdentityNumber, parseUscc } from '@mianzheng/crypto';
import type { IdentityCheckInput, IdentityVerifier } from '../domain/identity-check.ts';

/** The clerk inspects the original document; the platform checks the number's check character. */
export const documentCheck: IdentityVerifier = {
  method: 'document',
  async verify(input: IdentityCheckInput) {
    const codeOk = input.kind === 'person' ? parseIdentityNumber(input.code).valid : parseUscc(input.code).valid;
    const checks = [
      { name: 'document_inspected', passed: input.documentInspected },
      { name: input.kind === 'person' ? 'id_number_check_digit' : 'uscc_check_char', passed: codeOk },
      { name: 'name_present', passed: input.name.trim().length > 0 },
    ];
    const errors = checks.filter((c) => !c.passed).map((c) => c.name);
    return { verified: errors.length === 0, checks, errors };
  },
};

/** Face verification is not connected yet: it never verifies, and says why. */
export const faceVerificationUnavailable: IdentityVerifier = {
  method: 'face',
  async verify() {
    return { verified: false, checks: [{ name: 'face_service_connected', passed: false }], errors: ['face_service_connected'] };
  },
};
