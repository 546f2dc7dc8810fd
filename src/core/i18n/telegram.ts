import { registerCatalog, type Catalog } from './index.js';

/**
 * Texts the Telegram adapter shows by itself (everything else comes from the
 * engine): notices for what the bot cannot read, flood and stale-button
 * answers, the source line under answers, and the command menu.
 */
export const telegramCatalog = {
  zh: {
    non_text: '目前只能处理文字消息，请用文字描述您的问题。图片、语音、贴纸、位置和文件暂时无法查看。',
    empty: '没有收到文字内容，请输入您的问题后再发送。',
    flood: '您发送得太快了，请稍候一分钟再继续。我们会处理您之后发来的消息。',
    caption_only: '图片、语音和文件暂时无法查看，下面只根据您附的文字回答。需要补充的内容请用文字发送。',
    stale_button: '这个按钮已失效，请重新发送您的问题。',
    error: '抱歉，系统暂时出了点问题，请稍后再试。如情况紧急，请拨打 {phone}。',
    storage_down: '已收到您的消息，但系统暂时无法登记。系统恢复后会自动处理，无需重复发送。',
    resent_while_held: '这条消息与您之前发送、正在等待处理的消息相同，我们会按前一条处理，不会重复登记。',
    reachable_again: '诉求人在 Telegram 上重新发来消息，已可联系；之前未送达的 {count} 条消息已重新发送。',
    source: '来源：{title}',
    source_section: '（{section}）',
    source_updated: '，更新于 {updated}',
    source_link: '查看原文',
    cmd_start: '开始使用，查看可以做什么',
    cmd_help: '帮助与使用说明',
    cmd_case: '提交诉求（投诉、建议、求助等）',
    cmd_status: '查询我的诉求进度',
    cmd_privacy: '隐私说明与删除我的数据',
    cmd_lang: '切换语言 / Language',
  },
  en: {
    non_text: 'I can only read text messages for now. Please describe your question in words; photos, voice, stickers, locations and files cannot be viewed.',
    empty: 'No text arrived. Please type your question and send it again.',
    flood: 'You are sending messages very fast. Please wait a minute before continuing; messages you send after that will be handled.',
    caption_only: 'Photos, voice and files cannot be viewed yet; the answer below is based on the text you added. Please send anything else as text.',
    stale_button: 'This button has expired. Please send your question again.',
    error: 'Sorry, something went wrong on our side. Please try again later, or call {phone} if it is urgent.',
    storage_down: 'We received your message but cannot record it right now. It will be handled automatically once the system is back; there is no need to send it again.',
    resent_while_held: 'This message is the same as one you sent earlier that is still waiting to be handled; we will handle that one and not file it twice.',
    reachable_again: 'The citizen wrote on Telegram again and can be reached; {count} earlier undelivered message(s) were sent again.',
    source: 'Source: {title}',
    source_section: ' ({section})',
    source_updated: ', updated {updated}',
    source_link: 'Read the original',
    cmd_start: 'Start and see what I can do',
    cmd_help: 'Help',
    cmd_case: 'File a request (complaint, suggestion, help, ...)',
    cmd_status: 'Check the progress of my requests',
    cmd_privacy: 'Privacy and erasing my data',
    cmd_lang: 'Change language / 切换语言',
  },
} as const satisfies Catalog;

registerCatalog('telegram', telegramCatalog);
