import { registerCatalog, type Catalog } from './index.js';

/**
 * What the bot says in a group chat (a 家长群) where other people read along: it answers policy questions there and
 * takes anything personal to a private chat. Registered as `group`; `{link}` is the private chat's deep link.
 */
export const sharedChatCatalog: Catalog = {
  zh: {
    // The link ends its line: Telegram turns a bare URL into a link up to the next blank, and a full-width bracket right
    // after it could be taken into the address.
    private: '这里是群聊，群里的人都能看到。{what}涉及您的个人信息，请私聊我办理（打开链接后点“开始”）：\n{link}',
    'what.file': '登记投诉、建议、求助、咨询或政府信息公开申请',
    'what.status': '查询办理进度',
    'what.rate': '评价办理结果或要求重新办理',
    'what.withdraw': '撤回诉求',
    'what.human': '转人工、由工作人员答复',
    'what.privacy': '查看或删除您的个人信息',
    personalData: '为保护您的隐私，请不要在群里发送电话、身份证号等个人信息，这条消息里的号码没有记录。需要的话，可以长按刚才的消息把它删除。',
    help: '在群里我只回答入学、转学、收费等政策问题：提问时请@我，或回复我的消息。\n登记诉求、查询进度、评价和撤回都涉及个人信息，请私聊我：{link}\n也可以拨打{bureau}电话 {phone}。',
    more: '如需登记为咨询件或转人工，请私聊我：{link}',
    noLink: '在 Telegram 里搜索本机器人的名字，发私信给我',
    welcome: '这里是您和我的私聊，内容只有您和办理的工作人员能看到。',
    language: '好的，这条用中文回复您。群里每位家长都按自己的 Telegram 语言收到回复，所以这里不改全群的语言；如需一直用某种语言，请私聊我发送 /lang。',
    languageAsk: '群里每位家长都按自己的 Telegram 语言收到回复，所以这里不改全群的语言。如需一直用某种语言，请私聊我发送 /lang：{link}',
  },
  en: {
    private: 'This is a group chat: everyone in it can read along. {what} involves your personal details, so please do it in a private chat with me (open the link, then press "Start"):\n{link}',
    'what.file': 'Filing a complaint, suggestion, request for help, inquiry or information-disclosure request',
    'what.status': 'Checking the progress of your case',
    'what.rate': 'Rating a case or asking for it to be handled again',
    'what.withdraw': 'Withdrawing a case',
    'what.human': 'Talking to a member of staff',
    'what.privacy': 'Seeing or deleting your personal data',
    personalData: 'To protect your privacy, please do not post phone or ID numbers in the group; the number in this message was not recorded. You can delete that message (long-press it).',
    help: 'In the group I answer policy questions on enrolment, transfers, fees…: mention me or reply to my message.\nFiling a case, checking its progress, rating and withdrawing involve your personal details: please message me privately: {link}\nYou can also call {bureau} at {phone}.',
    more: 'To file this as an inquiry or talk to staff, please message me privately: {link}',
    noLink: 'search for this bot by name in Telegram and message it',
    welcome: 'This is our private chat: only you and the staff handling your case see it.',
    language: 'OK, this reply is in English. In the group every parent is answered in their own Telegram language, so the group\'s language is not changed; to keep a language, message me privately and send /lang.',
    languageAsk: 'In the group every parent is answered in their own Telegram language, so the group\'s language is not changed. To keep a language, message me privately and send /lang: {link}',
  },
};

registerCatalog('group', sharedChatCatalog);
