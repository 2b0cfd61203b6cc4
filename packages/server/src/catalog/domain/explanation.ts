import { METHOD_LABELS, type ExemptionMethod } from './proof-item.ts';

export interface MaterialExplanation {
  mustProvide: boolean;
  method: ExemptionMethod | 'form';
  explanation: string;
  explanationEn: string;
}

/**
 * The "why no proof is needed" sentence an applicant reads for one required material,
 * from the primary method of the proof item it is (or 'form' for a material that is
 * not a proof, such as the application form filled in online).
 */
export function explainMaterial(proof: { methods: readonly ExemptionMethod[]; legalBasis: string; issuingDepartmentName: string } | null): MaterialExplanation {
  if (!proof) {
    return { mustProvide: true, method: 'form', explanation: '本材料不是证明事项，请在线填写或上传。', explanationEn: 'This material is not a proof: fill it in online or upload it.' };
  }
  const method = proof.methods[0] ?? 'retained';
  const dept = proof.issuingDepartmentName;
  const basis = proof.legalBasis ? `（依据：${proof.legalBasis}）` : '';
  const basisEn = proof.legalBasis ? ` (legal basis: ${proof.legalBasis})` : '';
  const fallbacks = proof.methods.slice(1).map((m) => METHOD_LABELS[m].zh);
  const alt = fallbacks.length ? `如无法办理，可改用：${fallbacks.join('、')}。` : '';
  switch (method) {
    case 'cancelled':
      return { mustProvide: false, method, explanation: `无需提交 — 该证明已直接取消${basis}。`, explanationEn: `Nothing to provide — this proof has been cancelled${basisEn}.` };
    case 'data_sharing':
      return { mustProvide: false, method, explanation: `无需提交 — 我们将通过数据共享向${dept}获取。${alt}`, explanationEn: `Nothing to provide — we will fetch it from ${dept} by data sharing.` };
    case 'e_license':
      return { mustProvide: false, method, explanation: `无需提交 — 经您授权后，我们将调用您的电子证照。${alt}`, explanationEn: 'Nothing to provide — with your consent we will use your electronic license.' };
    case 'dept_verification':
      return { mustProvide: false, method, explanation: `无需提交 — 我们将向${dept}发起部门核验。${alt}`, explanationEn: `Nothing to provide — we will ask ${dept} to verify it.` };
    case 'commitment':
      return { mustProvide: false, method, explanation: `无需提交 — 您签署告知承诺书即可，事后依规核查。${alt}`, explanationEn: 'Nothing to provide — you sign a commitment instead; it is checked later.' };
    case 'online_issue':
      return { mustProvide: false, method, explanation: `无需提交 — ${dept}将在线开具并直接推送至您的办件。`, explanationEn: `Nothing to provide — ${dept} issues it online into your application.` };
    case 'retained':
      return { mustProvide: true, method, explanation: `需要提交 — 该证明依法保留${basis}，请上传。`, explanationEn: `Please upload — this proof is retained by law${basisEn}.` };
  }
}
