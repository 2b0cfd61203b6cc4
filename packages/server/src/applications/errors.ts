import type { ErrorTable } from '../shared/errors.ts';

/** Error codes of the applications context (APPLICATION.*), merged into the platform's one map in shared/errors.ts. */
export const APPLICATION_ERRORS = {
  'APPLICATION.NOT_FOUND': [404, '办件不存在', 'No such application'],
  'APPLICATION.INVALID_TRANSITION': [409, '办件当前状态不允许此操作', 'The application is not in a state that allows this'],
  'APPLICATION.NOT_YOURS': [403, '这不是您的办件', 'This application is not yours'],
  'APPLICATION.APPLICANT_ONLY': [403, '此操作只能由申请人本人完成', 'Only the applicant in person may do this'],
  'APPLICATION.MATERIAL_NOT_FOUND': [404, '办件中没有该材料', 'No such material in the application'],
  'APPLICATION.UPLOAD_NOT_EXPECTED': [409, '该材料当前无需上传', 'This material does not expect an upload now'],
  'APPLICATION.FILE_REQUIRED': [400, '请上传一个文件', 'Upload one file'],
  'APPLICATION.FILE_TYPE_NOT_ALLOWED': [415, '仅支持 PDF、JPG、PNG、OFD 文件', 'Only PDF, JPEG, PNG and OFD files are accepted'],
  'APPLICATION.FILE_TOO_LARGE': [413, '文件超过大小限制', 'The file is too large'],
  'APPLICATION.FILE_NOT_FOUND': [404, '文件不存在', 'No such file'],
  'APPLICATION.METHOD_NOT_OFFERED': [409, '该材料当前不能改用此方式', 'This method is not offered for the material now'],
  'APPLICATION.NOT_RETRYABLE': [409, '该材料当前无需重试', 'The material is not waiting on something that can be retried'],
  'APPLICATION.REASON_REQUIRED': [422, '请填写理由', 'A reason is required'],
  'APPLICATION.SEPARATION_OF_DUTIES': [409, '受审分离：经办或代办该办件的工作人员不能审查决定该办件，请由本部门其他工作人员办理', 'Separation of duties: whoever filed the application, or acts as its agent, may not decide it; another clerk of the department does'],
  'APPLICATION.BUNDLE_NOT_FOUND': [404, '一件事主题不存在', 'No such integrated service'],
  'APPLICATION.SERVICE_ITEM_CHANGED': [409, '清单版本已调整，该事项在最新版本中不存在', 'The service item is not in the latest catalog version'],
  'APPLICATION.WRONG_APPLICANT_KIND': [422, '该事项的服务对象不包括此类申请人', 'This service is not for this kind of applicant'],
} as const satisfies ErrorTable;
