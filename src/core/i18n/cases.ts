import { registerCatalog, type Catalog } from './index.js';

/**
 * Citizen-facing texts of the case desk. Placeholders: {code} case code, {type} type label,
 * {deadline} formatted date, {estimated} the estimatedNote text or '', {reply} staff reply,
 * {reason} reason given by staff, {phone} bureau phone.
 */
export const casesCatalog: Catalog = {
  zh: {
    'type.inquiry': '咨询',
    'type.complaint': '投诉',
    'type.suggestion': '建议',
    'type.help': '求助',
    'type.disclosure': '政府信息公开申请',
    'type.petition': '信访事项',
    date: '{year}年{month}月{day}日',
    estimatedNote: '（按常规工作日预估，以国家正式公布的节假日安排为准）',
    correctionRequested: '您的政府信息公开申请 {code} 需要补正：{reason}。请直接回复本消息补充；收到补正后答复期限重新起算。无正当理由逾期不补正的，视为放弃申请（《政府信息公开条例》第三十条）。',
    correctionReceived: '已收到您对政府信息公开申请 {code} 的补正，答复期限重新起算，我们将在 {deadline}{estimated}前答复您。',
    deadlineEarlier: '国家公布了放假安排，您的{type} {code} 的答复期限更新为 {deadline}{estimated}。',
    filed: '您的{type}已登记，编号 {code}。我们将在 {deadline}{estimated}前答复您。查询进度请发送“查询 {code}”。',
    claimed: '您的诉求 {code} 已由工作人员签收办理，答复期限为 {deadline}{estimated}。',
    replied: '关于您的诉求 {code}，工作人员答复如下：\n{reply}',
    extended: '您的诉求 {code} 需要延长办理期限，新的答复期限为 {deadline}{estimated}。延期原因：{reason}',
    closed: '您的诉求 {code} 已办结，感谢您的耐心等待。请为本次办理结果评价：',
    reopened: '您的诉求 {code} 已重新办理，答复期限为 {deadline}{estimated}。',
    returned: '您的诉求 {code} 已退回，原因：{reason}。如有疑问请致电 {phone}。',
    unreachable: '工作人员多次尝试联系您未能联系上（诉求 {code}）。如需继续办理，请回复本消息或致电 {phone}。',
    withdrawn: '您的诉求 {code} 已撤回，不再办理。如有需要可随时重新提交。',
    rated: '感谢您的评价！您的意见将帮助我们改进工作。',
    rateButton: '{stars} {label}',
  },
  en: {
    'type.inquiry': 'inquiry',
    'type.complaint': 'complaint',
    'type.suggestion': 'suggestion',
    'type.help': 'request for help',
    'type.disclosure': 'government information request',
    'type.petition': 'petition',
    date: '{year}-{mm}-{dd}',
    estimatedNote: ' (estimated from the statutory holidays; the official holiday schedule may change it)',
    correctionRequested: 'Your disclosure request {code} needs a correction: {reason}. Reply to this message with it; the answer period starts again once it arrives. Without good reason and no correction, the request is treated as abandoned (Article 30 of the Regulations on Open Government Information).',
    correctionReceived: 'We received the correction to your disclosure request {code}; the answer period starts again and we will answer by {deadline}{estimated}.',
    deadlineEarlier: 'With the published holiday schedule, the answer deadline of your {type} {code} is now {deadline}{estimated}.',
    filed: 'Your {type} has been registered as {code}. We will answer by {deadline}{estimated}. To check its progress, send "status {code}".',
    claimed: 'Your case {code} has been taken on by a member of staff. The answer is due by {deadline}{estimated}.',
    replied: 'About your case {code}, the bureau answers:\n{reply}',
    extended: 'Your case {code} needs more time. The new deadline is {deadline}{estimated}. Reason: {reason}',
    closed: 'Your case {code} is closed. Thank you for your patience. Please rate how it was handled:',
    reopened: 'Your case {code} has been reopened. The answer is due by {deadline}{estimated}.',
    returned: 'Your case {code} was returned. Reason: {reason}. For questions, call {phone}.',
    unreachable: 'Staff tried several times but could not reach you about case {code}. To continue, reply to this message or call {phone}.',
    withdrawn: 'Your case {code} has been withdrawn and will not be handled further. You can file a new one at any time.',
    rated: 'Thank you for your rating! It helps us improve.',
    rateButton: '{stars} {label}',
  },
};

registerCatalog('cases', casesCatalog);
