/**
 * Set-up calls for the application flows, made with a page's own session (its cookies), so
 * each test files and settles its own applications and depends on no other test's data.
 */
import type { Page } from 'playwright-core';

export interface AppView {
  id: string; ref: string; status: string;
  department: { id: string; name: string };
  materials: { materialId: string; name: string; resolution: null | {
    status: string; method: string | null; explanation: string; evidence: Record<string, unknown> | null;
    commitment: { id: string; status: string } | null; verification: { id: string; status: string } | null;
    attempts: { method: string; outcome: string; reason: string }[];
  } }[];
}

async function call<T>(page: Page, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const response = await page.request.fetch(path, { method, data: body === undefined ? undefined : body, headers: body === undefined ? undefined : { 'content-type': 'application/json' } });
  const text = await response.text();
  if (!response.ok()) throw new Error(`${method} ${path} → ${response.status()}: ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(page: Page, path: string) => call<T>(page, 'GET', path),
  post: <T>(page: Page, path: string, body: unknown = {}) => call<T>(page, 'POST', path, body),
  patch: <T>(page: Page, path: string, body: unknown) => call<T>(page, 'PATCH', path, body),
};

export function fileApplication(page: Page, serviceItemCode: string): Promise<AppView> {
  return api.post<AppView>(page, '/api/v1/applications', { serviceItemCode, form: { contactPhone: '13800138000' } });
}

/** As the applicant: grant each license asked for (this application only) and sign each commitment. */
export async function settleAsApplicant(page: Page, app: AppView): Promise<AppView> {
  let current = app;
  const wallet = await api.get<{ items: { id: string; licenseType: { code: string }; status: string; expired: boolean }[] }>(page, '/api/v1/me/licenses');
  for (const m of current.materials) {
    const r = m.resolution;
    if (r?.status === 'awaiting_grant') {
      const license = wallet.items.find((l) => l.licenseType.code === r.evidence?.licenseTypeCode && l.status === 'valid' && !l.expired);
      if (!license) throw new Error(`no license of type ${String(r.evidence?.licenseTypeCode)} in the wallet`);
      await api.post(page, `/api/v1/me/licenses/${license.id}/grants`, {
        departmentId: current.department.id, applicationRef: current.ref, validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      });
      current = await api.post<AppView>(page, `/api/v1/applications/${current.id}/materials/${encodeURIComponent(m.materialId)}/retry`);
    }
  }
  for (const m of current.materials) {
    if (m.resolution?.status === 'awaiting_signature' && m.resolution.commitment) {
      await api.post(page, `/api/v1/commitments/${m.resolution.commitment.id}/sign`, { accept: true });
    }
  }
  return api.get<AppView>(page, `/api/v1/applications/${current.id}`);
}
