import { AppError } from '../../shared/errors.ts';
import { nextStatus, STATUS_LABELS, type ApplicationEvent, type ApplicationStatus } from '../domain/lifecycle.ts';

const EVENT_LABELS: Record<ApplicationEvent, string> = {
  submit: '提交', begin_resolution: '开始核验', wait: '等待', resolved: '完成核验', approve: '准予', reject: '不予许可', return: '退回补正', resubmit: '重新提交', complete: '办结', withdraw: '撤回',
};

/** The next status, or 409 APPLICATION.INVALID_TRANSITION saying what the state is and what was asked. */
export function transitionOrThrow(from: ApplicationStatus, event: ApplicationEvent): ApplicationStatus {
  const to = nextStatus(from, event);
  if (!to) {
    throw new AppError('APPLICATION.INVALID_TRANSITION', {
      field: 'status', details: { from, event },
      message: `办件当前为“${STATUS_LABELS[from].zh}”，不能${EVENT_LABELS[event]}`,
      messageEn: `The application is ${STATUS_LABELS[from].en.toLowerCase()}; it cannot ${event.replace('_', ' ')}`,
    });
  }
  return to;
}
