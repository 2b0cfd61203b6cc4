import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { MethodTags } from '../../catalog/methods';
import type { Plan, PlanMaterial } from './applications-api';
import { useAppText } from './messages';

/** Drops the leading "无需提交 — " / "需要提交 — " the card already shows as its badge. */
function withoutHeadline(sentence: string): string {
  return sentence.replace(/^(无需提交|需要提交|Nothing to provide|Please upload)\s*[—–:-]\s*/u, '');
}

/** One proof before submitting: "无需提交 — 我们将…" or "请上传", why, and the legal basis. */
export function PlanMaterialCard({ material, plan }: { material: PlanMaterial; plan: Plan }) {
  const { t, pick } = useAppText();
  const free = !material.mustProvide;
  const names = material.neededBy
    .map((n) => plan.serviceItems.find((s) => s.code === n.serviceItemCode)?.name ?? n.serviceItemCode)
    .filter((name, i, all) => all.indexOf(name) === i);
  return (
    <section
      className={`mz-material ${free ? 'mz-material-free' : 'mz-material-required'}`}
      data-testid="plan-material"
      data-proof-item-id={material.proofItemId}
      data-must-provide={String(material.mustProvide)}
      data-method={material.method}
    >
      <div className="mz-material-head">
        <span className="mz-material-status" data-testid="plan-material-status">
          {free ? <CheckCircleFilled /> : <ExclamationCircleFilled />}
          {free ? t('apply.noNeed') : t('apply.mustUpload')}
        </span>
        <h3 className="mz-material-name" data-testid="plan-material-name">{material.proofItemName}</h3>
      </div>
      <p className="mz-material-explanation" data-testid="plan-material-explanation">
        {withoutHeadline(pick(material.explanation, material.explanationEn))}
      </p>
      <dl className="mz-material-facts">
        <div>
          <dt>{t('apply.methods')}</dt>
          <dd><MethodTags methods={material.methods} /></dd>
        </div>
        {material.legalBasis ? (
          <div>
            <dt>{t('apply.legalBasis')}</dt>
            <dd data-testid="plan-material-legal-basis">{material.legalBasis}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('apply.issuer')}</dt>
          <dd>{material.issuingDepartmentName}</dd>
        </div>
        {plan.serviceItems.length > 1 ? (
          <div>
            <dt>{t('apply.neededBy')}</dt>
            <dd data-testid="plan-material-needed-by">{names.join('、')}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
