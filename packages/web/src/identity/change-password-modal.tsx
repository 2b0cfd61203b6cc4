import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Form, Input, Modal } from 'antd';
import type { ApiError } from '../api/http';
import { formFieldErrors } from '../api/form-errors';
import { useAction } from '../api/use-action';
import { useI18n } from '../shell/i18n/i18n';
import { changePassword } from './auth-api';

interface FormValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** The form item that shows a server error with this `field` (AUTH.WRONG_PASSWORD and AUTH.THROTTLED name currentPassword; the password rule newPassword). */
const serverFieldToForm: Record<string, keyof FormValues> = {
  currentPassword: 'currentPassword',
  newPassword: 'newPassword',
};

/**
 * 修改密码: the current password, the new one twice. The server checks the current one (wrong
 * ones count toward the sign-in lock), the password rule and the last five passwords; on success
 * every other sign-in of the account ends, this one stays.
 *
 * `forced`: the session's password has expired (staff, 等保 定期更换) and nothing else answers
 * until it is changed — the modal says why and cannot be closed (signing out stays in the header);
 * `onClose` is called once the password is changed.
 */
export function ChangePasswordModal({ open, onClose, forced = false }: { open: boolean; onClose: () => void; forced?: boolean }) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const [run, saving] = useAction();
  const [serverError, setServerError] = useState<ApiError>();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setServerError(undefined);
  }, [open, form]);

  const submit = async () => {
    const values = await form.validateFields();
    await run(
      async () => {
        setServerError(undefined);
        const { ended } = await changePassword(values.currentPassword, values.newPassword);
        message.success(t('header.changePassword.done', { count: ended }));
        onClose();
      },
      { onError: formFieldErrors(form, serverFieldToForm, locale, setServerError) },
    );
  };

  return (
    <Modal
      open={open}
      title={forced ? t('header.changePassword.expiredTitle') : t('header.changePassword')}
      onCancel={forced ? undefined : onClose}
      closable={!forced}
      mask={{ closable: !forced }}
      keyboard={!forced}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('header.changePassword.submit')}
      cancelText={t('common.cancel')}
      cancelButtonProps={forced ? { style: { display: 'none' } } : undefined}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'change-password-submit' }}
      data-testid="change-password-modal"
    >
      {forced && <Alert type="warning" showIcon title={t('header.changePassword.expired')} className="mz-gap" data-testid="change-password-expired" />}
      {serverError && <Alert type="error" showIcon title={serverError.localized(locale)} className="mz-gap" data-testid="change-password-error" data-code={serverError.code} />}
      <Form<FormValues> form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="currentPassword" label={t('header.changePassword.current')} rules={[{ required: true, message: t('header.changePassword.currentRequired') }]}>
          <Input.Password autoComplete="current-password" autoFocus data-testid="change-password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('header.changePassword.new')}
          extra={t('header.changePassword.rule')}
          rules={[{ required: true, message: t('header.changePassword.newRequired') }]}
        >
          <Input.Password autoComplete="new-password" data-testid="change-password-new" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('header.changePassword.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('header.changePassword.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('header.changePassword.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="change-password-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
