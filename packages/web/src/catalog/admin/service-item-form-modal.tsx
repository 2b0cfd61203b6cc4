import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Col, Flex, Form, Input, Modal, Row, Select, Switch, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, FileTextOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/http';
import { useAction } from '../../api/use-action';
import { useApi } from '../../api/use-api';
import { catalogApi } from '../catalog-api';
import { useDepartments, useRegions } from '../reference-data';
import { serviceItemsAdminApi } from '../service-items-api';
import { APPLICANT_KINDS, type DraftProofItem, type DraftServiceItem, type DraftViewer } from '../types';
import {
  SERVICE_ITEM_CODE,
  fieldErrorsOf,
  formPathOf,
  proofItemApplies,
  proofItemOptions,
  toCreateInput,
  toFormValues,
  toPatch,
  type MaterialKind,
  type MaterialRow,
  type ServiceItemFormValues,
} from './service-item-form';
import { useServiceItemsText } from './service-items-messages';

const NO_PROOF_ITEMS: DraftProofItem[] = [];
/** as many materials as the server takes */
const MAX_MATERIALS = 60;

export function ServiceItemFormModal({
  open,
  item,
  viewer,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** the item to edit; absent to add a new one */
  item: DraftServiceItem | undefined;
  /** whose region the caller manages (its departments are offered); unknown: every department */
  viewer: DraftViewer | undefined;
  onClose: () => void;
  onSaved: (saved: DraftServiceItem, created: boolean) => void;
}) {
  const { t, shellT, locale } = useServiceItemsText();
  const [form] = Form.useForm<ServiceItemFormValues>();
  const [run, saving] = useAction();
  const [serverError, setServerError] = useState<ApiError>();
  const regions = useRegions();
  const regionNames = useMemo(() => new Map(regions.map((r) => [r.code, r.name])), [regions]);
  const regionName = (code: string) => regionNames.get(code) ?? code;
  // a city's administrator is offered its region's departments (and those within it); the province's, all
  const departments = useDepartments(viewer?.regionCode ?? undefined);
  // the draft's proof items, loaded afresh each time the form opens (another tab may have added one)
  const draft = useApi((signal) => (open ? catalogApi.draft(signal) : Promise.resolve(undefined)), [open]);
  const proofItems = draft.data?.proofItems ?? NO_PROOF_ITEMS;

  const departmentId = Form.useWatch('departmentId', form);
  const rows = (Form.useWatch('materials', form) ?? []) as MaterialRow[];
  const departmentOptions = useMemo(() => {
    const list = departments.map((d) => ({ value: d.id, label: d.name, regionCode: d.regionCode }));
    if (item && !list.some((d) => d.value === item.departmentId)) {
      list.push({ value: item.departmentId, label: item.departmentName, regionCode: item.regionCode });
    }
    return list;
  }, [departments, item]);
  const departmentRegion = (id: string | undefined) => departmentOptions.find((d) => d.value === id)?.regionCode;
  const ownRegion = departmentRegion(departmentId);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(toFormValues(item));
    setServerError(undefined);
  }, [open, item, form]);

  const submit = async () => {
    await form.validateFields();
    // every value the form holds, the rows' hidden id and kind included
    const values = form.getFieldsValue(true) as ServiceItemFormValues;
    await run(
      async () => {
        setServerError(undefined);
        const saved = item
          ? await serviceItemsAdminApi.update(item.code, toPatch(values))
          : await serviceItemsAdminApi.create(toCreateInput(values));
        onSaved(saved, !item);
      },
      {
        onError: (_, cause) => {
          if (!(cause instanceof ApiError)) throw cause;
          const shown = fieldErrorsOf(cause, locale).flatMap(({ field, text }) => {
            const name = formPathOf(field, values.materials ?? []);
            return name ? [{ name, errors: [text] }] : [];
          });
          if (shown.length === 0 || !formPathOf(cause.field, values.materials ?? [])) setServerError(cause);
          if (shown.length > 0) {
            form.setFields(shown as Parameters<typeof form.setFields>[0]);
            form.scrollToField(shown[0]!.name);
          }
        },
      },
    );
  };

  /** The proof item's rules: chosen, not twice, and of a region that applies to the department's. */
  const proofRules = (index: number) => [
    { required: true, message: t('error.proofRequired') },
    {
      validator: (_: unknown, value: string | undefined) => {
        if (!value) return Promise.resolve();
        const all = (form.getFieldValue('materials') ?? []) as MaterialRow[];
        const first = all.findIndex((row, i) => i !== index && row?.kind === 'proof' && row.proofItemId === value);
        if (first !== -1 && first < index) return Promise.reject(new Error(t('error.duplicateProof', { row: first + 1 })));
        const proof = proofItems.find((p) => p.id === value);
        const region = departmentRegion(form.getFieldValue('departmentId') as string | undefined);
        if (proof && region && !proofItemApplies(proof.regionCode, region)) {
          return Promise.reject(new Error(t('error.proofOtherRegion', { region: regionName(proof.regionCode), departmentRegion: regionName(region) })));
        }
        return Promise.resolve();
      },
    },
  ];

  const kindTag = (kind: MaterialKind) =>
    kind === 'proof' ? (
      <Tag color="blue" icon={<SafetyCertificateOutlined />}>{t('material.proof')}</Tag>
    ) : (
      <Tag icon={<FileTextOutlined />}>{t('material.form')}</Tag>
    );

  return (
    <Modal
      open={open}
      title={item ? `${t('editTitle')} · ${item.name}` : t('addTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={shellT('common.save')}
      cancelText={shellT('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      width={960}
      okButtonProps={{ 'data-testid': 'service-item-submit' }}
    >
      <div data-testid="service-item-form">
        {serverError && (
          <Alert type="error" showIcon title={serverError.localized(locale)} className="mz-gap" data-testid="service-item-error" data-code={serverError.code} />
        )}
        {draft.error && <Alert type="warning" showIcon title={draft.error.localized(locale)} className="mz-gap" />}
        <Form<ServiceItemFormValues> form={form} layout="vertical" requiredMark>
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item
                name="code"
                label={t('field.code')}
                extra={item ? t('field.codeReadOnly') : t('field.codeHelp')}
                rules={item ? [] : [
                  { required: true, whitespace: true, message: t('error.codeRequired') },
                  { pattern: SERVICE_ITEM_CODE, message: t('error.codeFormat') },
                ]}
              >
                <Input className="mz-mono" maxLength={64} readOnly={!!item} variant={item ? 'filled' : 'outlined'} data-testid="service-item-code" />
              </Form.Item>
            </Col>
            <Col xs={24} md={14}>
              <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, message: t('error.nameRequired') }]}>
                <Input maxLength={200} data-testid="service-item-name" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item
                name="departmentId"
                label={t('field.department')}
                extra={t('field.departmentHelp')}
                rules={[{ required: true, message: t('error.departmentRequired') }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={departmentOptions.map(({ value, label }) => ({ value, label }))}
                  placeholder={t('field.departmentPlaceholder')}
                  aria-label={t('field.department')}
                  data-testid="service-item-department"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item
                name="applicantKinds"
                label={t('field.kinds')}
                rules={[{ required: true, type: 'array', min: 1, message: t('error.kindsRequired') }]}
              >
                <Checkbox.Group>
                  {APPLICANT_KINDS.map((kind) => (
                    <Checkbox key={kind} value={kind} data-testid={`service-item-kind-${kind}`}>
                      {shellT(`service.applicantKind.${kind}`)}
                    </Checkbox>
                  ))}
                </Checkbox.Group>
              </Form.Item>
            </Col>
          </Row>

          <Form.Item label={t('field.materials')} extra={t('field.materialsHelp')} required={false} style={{ marginBottom: 0 }}>
            <Form.List name="materials">
              {(fields, { add, remove, move }) => (
                <Flex vertical gap={8} data-testid="service-item-materials">
                  {fields.length === 0 && <Typography.Text type="secondary">{t('material.none')}</Typography.Text>}
                  {fields.map((field, index) => {
                    // read from the store, not the watched rows: a row just added is there before the watch sees it
                    const kind: MaterialKind = form.getFieldValue(['materials', field.name, 'kind']) === 'proof' ? 'proof' : 'form';
                    const chosenElsewhere = new Set(
                      rows.flatMap((row, i) => (i !== index && row?.kind === 'proof' && row.proofItemId ? [row.proofItemId] : [])),
                    );
                    return (
                      <Flex
                        key={field.key}
                        gap={8}
                        align="flex-start"
                        wrap
                        data-testid={`material-row-${index}`}
                        data-kind={kind}
                        style={{ padding: '8px 8px 0', border: '1px solid rgba(5, 5, 5, 0.06)', borderRadius: 8 }}
                      >
                        <Form.Item name={[field.name, 'id']} hidden><Input /></Form.Item>
                        <Form.Item name={[field.name, 'kind']} hidden><Input /></Form.Item>
                        <Flex gap={4} align="center" style={{ height: 32 }}>
                          <Typography.Text type="secondary" className="mz-nowrap">{index + 1}.</Typography.Text>
                          {kindTag(kind)}
                        </Flex>
                        {kind === 'proof' ? (
                          <>
                            <Form.Item
                              name={[field.name, 'proofItemId']}
                              rules={proofRules(index)}
                              dependencies={['departmentId']}
                              style={{ flex: '2 1 280px', marginBottom: 8 }}
                            >
                              <Select
                                showSearch={{ optionFilterProp: 'label' }}
                                loading={draft.loading}
                                options={proofItemOptions(proofItems, {
                                  departmentRegion: ownRegion,
                                  current: form.getFieldValue(['materials', field.name, 'proofItemId']) as string | undefined,
                                  chosenElsewhere,
                                  regionName,
                                }).map((group) => ({ label: group.label, title: group.label, options: group.options }))}
                                placeholder={t('material.proofPlaceholder')}
                                aria-label={t('material.proof')}
                                data-testid={`material-proof-${index}`}
                              />
                            </Form.Item>
                            <Form.Item name={[field.name, 'name']} style={{ flex: '1 1 200px', marginBottom: 8 }}>
                              <Input maxLength={200} placeholder={t('material.proofNamePlaceholder')} data-testid={`material-name-${index}`} />
                            </Form.Item>
                          </>
                        ) : (
                          <Form.Item
                            name={[field.name, 'name']}
                            rules={[{ required: true, whitespace: true, message: t('error.materialNameRequired') }]}
                            style={{ flex: '3 1 480px', marginBottom: 8 }}
                          >
                            <Input maxLength={200} placeholder={t('material.formNamePlaceholder')} data-testid={`material-name-${index}`} />
                          </Form.Item>
                        )}
                        <Form.Item name={[field.name, 'required']} valuePropName="checked" style={{ marginBottom: 8 }}>
                          <Switch
                            checkedChildren={t('material.required')}
                            unCheckedChildren={t('material.optional')}
                            data-testid={`material-required-${index}`}
                          />
                        </Form.Item>
                        <Flex gap={2} style={{ marginBottom: 8 }}>
                          <Tooltip title={t('material.up')}>
                            <Button type="text" icon={<ArrowUpOutlined />} aria-label={t('material.up')} disabled={index === 0}
                              onClick={() => move(index, index - 1)} data-testid={`material-up-${index}`} />
                          </Tooltip>
                          <Tooltip title={t('material.down')}>
                            <Button type="text" icon={<ArrowDownOutlined />} aria-label={t('material.down')} disabled={index === fields.length - 1}
                              onClick={() => move(index, index + 1)} data-testid={`material-down-${index}`} />
                          </Tooltip>
                          <Tooltip title={t('material.remove')}>
                            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('material.remove')}
                              onClick={() => remove(index)} data-testid={`material-remove-${index}`} />
                          </Tooltip>
                        </Flex>
                      </Flex>
                    );
                  })}
                  {!ownRegion && fields.some((f) => form.getFieldValue(['materials', f.name, 'kind']) === 'proof') && (
                    <Typography.Text type="secondary">{t('material.pickDepartmentFirst')}</Typography.Text>
                  )}
                  <Flex gap={8} wrap>
                    <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= MAX_MATERIALS} onClick={() => add({ kind: 'proof', required: true } satisfies MaterialRow)} data-testid="material-add-proof">
                      {t('material.addProof')}
                    </Button>
                    <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= MAX_MATERIALS} onClick={() => add({ kind: 'form', required: true, name: '' } satisfies MaterialRow)} data-testid="material-add-form">
                      {t('material.addForm')}
                    </Button>
                  </Flex>
                </Flex>
              )}
            </Form.List>
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
