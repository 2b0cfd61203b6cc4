import { useEffect, useState } from 'react';
import { Alert, Col, Divider, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd';
import type { ApiError } from '../../api/http';
import { formFieldErrors } from '../../api/form-errors';
import { useAction } from '../../api/use-action';
import { useI18n } from '../../shell/i18n/i18n';
import { catalogApi } from '../catalog-api';
import { MethodTag, useMethodLabel } from '../methods';
import { DepartmentSelect, RegionCascader } from '../reference-data';
import { exemptionMethods, type DraftProofItem, type ProofItemInput } from '../types';

interface FormValues {
  name: string;
  regionCode: string;
  issuingDepartmentId: string;
  legalBasis?: string;
  methods: string[];
  notes?: string;
  commitmentConditions?: string;
  commitmentConsequence?: string;
  samplingRatePercent?: number;
  withinDays?: number;
}

/** Maps a server error's `field` onto the form item that shows it. */
const serverFieldToForm: Record<string, keyof FormValues> = {
  name: 'name',
  regionCode: 'regionCode',
  issuingDepartmentId: 'issuingDepartmentId',
  legalBasis: 'legalBasis',
  methods: 'methods',
  notes: 'notes',
  commitment: 'commitmentConditions',
  'commitment.conditions': 'commitmentConditions',
  'commitment.consequence': 'commitmentConsequence',
  'commitment.postCheck.samplingRate': 'samplingRatePercent',
  'commitment.postCheck.withinDays': 'withinDays',
};

function toFormValues(item: DraftProofItem | undefined): Partial<FormValues> {
  if (!item) return { methods: [] };
  return {
    name: item.name,
    regionCode: item.regionCode,
    issuingDepartmentId: item.issuingDepartmentId,
    legalBasis: item.legalBasis,
    methods: item.methods,
    notes: item.notes ?? undefined,
    commitmentConditions: item.commitment?.conditions,
    commitmentConsequence: item.commitment?.consequence,
    samplingRatePercent: item.commitment ? Math.round(item.commitment.postCheck.samplingRate * 1000) / 10 : undefined,
    withinDays: item.commitment?.postCheck.withinDays,
  };
}

function toInput(values: FormValues): ProofItemInput {
  const input: ProofItemInput = {
    name: values.name.trim(),
    issuingDepartmentId: values.issuingDepartmentId,
    regionCode: values.regionCode,
    legalBasis: (values.legalBasis ?? '').trim(),
    methods: values.methods,
    notes: values.notes?.trim() ?? '',
    // Only a commitment route carries commitment rules; null clears old ones on edit.
    commitment: null,
  };
  if (values.methods.includes('commitment')) {
    input.commitment = {
      conditions: (values.commitmentConditions ?? '').trim(),
      consequence: (values.commitmentConsequence ?? '').trim(),
      postCheck: {
        samplingRate: (values.samplingRatePercent ?? 0) / 100,
        withinDays: values.withinDays ?? 0,
      },
    };
  }
  return input;
}

export function ProofItemFormModal({
  open,
  item,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** the item to edit; absent to add a new one */
  item: DraftProofItem | undefined;
  onClose: () => void;
  onSaved: (saved: DraftProofItem) => void;
}) {
  const { t, locale } = useI18n();
  const methodLabel = useMethodLabel();
  const [form] = Form.useForm<FormValues>();
  const [run, saving] = useAction();
  const [serverError, setServerError] = useState<ApiError>();
  const region = Form.useWatch('regionCode', form);
  const methods = Form.useWatch('methods', form) ?? [];
  const withCommitment = methods.includes('commitment');

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(toFormValues(item));
    setServerError(undefined);
  }, [open, item, form]);

  const submit = async () => {
    const values = await form.validateFields();
    await run(
      async () => {
        setServerError(undefined);
        const input = toInput(values);
        const saved = item ? await catalogApi.updateProofItem(item.id, input) : await catalogApi.createProofItem(input);
        onSaved(saved);
      },
      { onError: formFieldErrors(form, serverFieldToForm, locale, setServerError) },
    );
  };

  return (
    <Modal
      open={open}
      title={item ? t('draft.editTitle') : t('draft.addTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      width={720}
      okButtonProps={{ 'data-testid': 'proof-item-form-submit' }}
      data-testid="proof-item-form"
    >
      {serverError && <Alert type="error" showIcon title={serverError.localized(locale)} className="mz-gap" />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        requiredMark
        onValuesChange={(changed: Partial<FormValues>) => {
          if ('regionCode' in changed) form.setFieldValue('issuingDepartmentId', undefined);
        }}
      >
        <Form.Item name="name" label={t('proof.name')} rules={[{ required: true, whitespace: true, message: t('draft.nameRequired') }]}>
          <Input maxLength={200} data-testid="field-name" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
          <Form.Item
            name="regionCode"
            label={t('proof.region')}
            rules={[{ required: true, message: t('draft.regionRequired') }]}
          >
            <RegionCascader testId="field-region" allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
          </Col>
          <Col xs={24} md={12}>
          <Form.Item
            name="issuingDepartmentId"
            label={t('proof.issuingDepartment')}
            rules={[{ required: true, message: t('draft.departmentRequired') }]}
          >
            <DepartmentSelect
              region={region}
              testId="field-department"
              style={{ width: '100%' }}
              knownOption={item && item.regionCode === region ? { id: item.issuingDepartmentId, name: item.issuingDepartmentName } : undefined}
            />
          </Form.Item>
          </Col>
        </Row>
        <Form.Item name="methods" label={t('proof.methods')} rules={[{ required: true, type: 'array', min: 1, message: t('draft.methodsRequired') }]}>
          <Select
            mode="multiple"
            options={exemptionMethods.map((m) => ({ value: m, label: methodLabel(m) }))}
            optionRender={(option) => <MethodTag method={String(option.value)} />}
            data-testid="field-methods"
          />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label={t('proof.legalBasis')}
          dependencies={['methods']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                (getFieldValue('methods') as string[] | undefined)?.includes('retained') && !value?.trim()
                  ? Promise.reject(new Error(t('draft.legalBasisRequiredRetained')))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="field-legal-basis" />
        </Form.Item>
        <Form.Item name="notes" label={t('proof.notes')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="field-notes" />
        </Form.Item>
        {withCommitment && (
          <>
            <Divider titlePlacement="start">{t('draft.commitmentSection')}</Divider>
            <Form.Item name="commitmentConditions" label={t('proof.commitmentConditions')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} data-testid="field-commitment-conditions" />
            </Form.Item>
            <Form.Item name="commitmentConsequence" label={t('proof.commitmentConsequence')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} data-testid="field-commitment-consequence" />
            </Form.Item>
            <Space size="large" wrap>
              <Form.Item name="samplingRatePercent" label={t('draft.samplingRate')} rules={[{ required: true }]}>
                <InputNumber min={1} max={100} step={5} data-testid="field-sampling-rate" />
              </Form.Item>
              <Form.Item name="withinDays" label={t('draft.withinDays')} rules={[{ required: true }]}>
                <InputNumber min={1} max={3650} precision={0} data-testid="field-within-days" />
              </Form.Item>
            </Space>
          </>
        )}
      </Form>
    </Modal>
  );
}
