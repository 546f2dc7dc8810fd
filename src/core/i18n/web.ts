import { registerCatalog, type Catalog } from './index.js';

/**
 * Texts the web chat shows by itself (everything else comes from the engine):
 * the page around the conversation, the first-visit notice, the source line
 * under answers, and the adapter's own refusals. Keys starting with `page.`
 * are sent to the browser so the page can switch language without a reload.
 */
export const webCatalog = {
  zh: {
    'page.title': '{bureau} 在线咨询',
    'page.log': '对话记录',
    'page.input': '输入您的问题',
    'page.placeholder': '请输入您的问题，例如：小学什么时候报名？',
    'page.send': '发送',
    'page.sending': '正在发送…',
    'page.failed': '发送失败，您的内容还在输入框里，请稍后重试。',
    'page.switch': 'English',
    'page.switchLabel': 'Switch to English',
    'page.erase': '删除我的数据',
    'page.privacy': '隐私说明',
    'page.noticeTitle': '使用前请了解',
    'page.notice':
      '本页面由{bureau}提供。为了回答您和办理您提交的诉求，我们会在本浏览器保存一个匿名会话标识（Cookie），并在服务器保存对话记录和您提交的诉求；不会收集您的姓名，除非您自己填写。电话和身份证号在工作人员端会被遮盖。您可以随时点击“删除我的数据”。',
    'page.noticeOk': '知道了',
    'page.you': '您',
    'page.bot': '助手',
    'page.source': '来源：',
    'page.updated': '更新于 {date}',
    'page.offline': '连接已断开，正在重新连接…',
    'page.empty': '您好！请直接输入问题，我会从教育局公开的资料中为您查找答案。',
    'page.widget': '在线咨询',
    'page.close': '关闭',
    'privacy.title': '隐私说明',
    'privacy.back': '返回咨询',
    'privacy.transcript': '网页咨询的对话记录保存在服务器上，供您再次打开本页面时查看，{messageDays} 天后删除；{sessionDays} 天未访问的会话连同记录一并删除；会话中有诉求时，会话保留到诉求办结 {reopenDays} 天后，以便您收到答复和评价。',
    'flood': '您发送得太快了，请稍候一分钟再继续。我们会处理您之后发来的消息。',
    'error': '抱歉，系统暂时出了点问题，请稍后再试。如情况紧急，请拨打 {phone}。',
    'ip_limit': '来自您网络的请求过多，请稍后再试。',
    'origin': '请求来源不被允许，请从咨询页面发送。',
    'too_large': '内容太长：一条消息最多 {max} 字，请分几次发送。',
    'encoding': '消息中有无法识别的字符编码，没有收到。请重新输入后发送。',
    'invalid': '无法识别的请求，请刷新页面后重试。',
    'stale_button': '这个按钮已失效，请重新发送您的问题。',
    'empty': '没有收到文字内容，请输入您的问题后再发送。',
    'session': '会话已过期，请刷新页面。',
    'restarting': '咨询系统正在重启，这条消息没有收到。请稍等几秒后重新发送。',
    'storage_down': '系统暂时无法记录您的消息，这条消息没有收到，也没有登记任何诉求。请稍后重新发送。',
    'rating_not_saved': '系统繁忙，暂时无法记录您对诉求 {code} 的评价，这次评价没有保存。请稍后重新发送，或再点一次办结消息下的星级。',
    'storage_after': '您的消息已收到，但系统暂时无法保存回复，处理可能没有完成。请稍后发送“查询进度”，确认是否已经登记，再决定是否重新发送，以免重复登记。',
    'unavailable': '在线咨询暂时无法使用，请稍后刷新本页再试。如情况紧急，请拨打 {phone}。',
  },
  en: {
    'page.title': '{bureau} online help',
    'page.log': 'Conversation',
    'page.input': 'Type your question',
    'page.placeholder': 'Type your question, e.g. When does primary school enrolment start?',
    'page.send': 'Send',
    'page.sending': 'Sending…',
    'page.failed': 'Sending failed. Your text is still in the box; please try again later.',
    'page.switch': '中文',
    'page.switchLabel': '切换到中文',
    'page.erase': 'Delete my data',
    'page.privacy': 'Privacy',
    'page.noticeTitle': 'Before you start',
    'page.notice':
      'This page is run by {bureau}. To answer you and handle what you file, we keep an anonymous session id in this browser (a cookie) and keep the conversation and your cases on our server; we do not collect your name unless you type it. Phone and ID numbers are masked for staff. You can press "Delete my data" at any time.',
    'page.noticeOk': 'Got it',
    'page.you': 'You',
    'page.bot': 'Assistant',
    'page.source': 'Source: ',
    'page.updated': 'updated {date}',
    'page.offline': 'Connection lost, reconnecting…',
    'page.empty': 'Hello! Type your question and I will look it up in what the bureau has published.',
    'page.widget': 'Online help',
    'page.close': 'Close',
    'privacy.title': 'Privacy',
    'privacy.back': 'Back to the chat',
    'privacy.transcript': 'The web chat keeps the conversation on our server so you can see it when you come back; lines are deleted after {messageDays} days, and a session not visited for {sessionDays} days is deleted with its conversation; a session with a case is kept until {reopenDays} days after the case is closed, so that you receive the answer and can rate it.',
    'flood': 'You are sending messages very fast. Please wait a minute before continuing; messages you send after that will be handled.',
    'error': 'Sorry, something went wrong on our side. Please try again later, or call {phone} if it is urgent.',
    'ip_limit': 'Too many requests from your network. Please try again later.',
    'origin': 'This request did not come from the chat page and was refused.',
    'too_large': 'That is too long: a message holds at most {max} characters. Please send it in several parts.',
    'encoding': 'The message contained characters that are not UTF-8 and was not received. Please type it again and send it.',
    'invalid': 'The request was not understood. Please reload the page and try again.',
    'stale_button': 'This button has expired. Please send your question again.',
    'empty': 'No text arrived. Please type your question and send it again.',
    'session': 'Your session has expired. Please reload the page.',
    'restarting': 'The chat is restarting and did not receive this message. Please send it again in a few seconds.',
    'storage_down': 'We cannot record messages right now: this one was not received and nothing was filed. Please send it again later.',
    'rating_not_saved': 'The system is busy and could not record your rating of case {code}; it was not saved. Please send it again in a little while, or press a star under the closing message again.',
    'storage_after': 'Your message arrived, but the reply could not be saved and handling may not have finished. Please send "status" later to check whether a request was filed before sending it again, so it is not filed twice.',
    'unavailable': 'The online help is unavailable right now. Please reload this page later, or call {phone} if it is urgent.',
  },
} as const satisfies Catalog;

registerCatalog('web', webCatalog);

/** The `page.*` texts of one language, keyed without the prefix, for the browser. */
export function pageStrings(locale: 'zh' | 'en', bureau: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(webCatalog[locale])) {
    if (key.startsWith('page.')) out[key.slice(5)] = value.replace('{bureau}', bureau);
  }
  return out;
}
