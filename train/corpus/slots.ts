/**
 * Hand-written building blocks of the training corpus. Written by the team for training only:
 * nothing here comes from an evaluation set. Each petition is a wrong told by a parent (or a
 * teacher), in the way posts on 问政 boards are written: an address, who they are, what happened,
 * what it does to the child, what they tried, and a closing that is often a question.
 */

export const ADDRESS = [
  '领导您好：', '领导你好，', '局长您好！', '尊敬的局长：', '尊敬的教育局领导：', '各位领导好，', '{area}教育局领导您好，',
  '您好，', '你好！', '教育局的领导们好：', '书记、局长好：', '尊敬的领导，您好！', '领导好，打扰了。', '教育局：', '致{area}教育局：',
  '', '', '', '', '', '',
];

export const WHO = [
  '我是{school}{grade}的学生家长。', '我是{school}一名学生的妈妈，', '本人系{school}{grade}学生家长，', '我家孩子在{school}读{grade}。',
  '我们家住{community}，孩子在{school}上学。', '我是{community}的居民，', '我是一名{grade}学生的爸爸，', '我是{school}的一名老师，',
  '我是孩子的奶奶，孩子在{school}{grade}。', '我们是外地来{area}打工的，孩子在{school}借读。', '', '', '', '',
];

/** What went wrong, told as a fact. Many carry no complaint word at all. */
export const WRONG = [
  '班主任每天在群里布置作业，要求家长批改签字，改不完第二天孩子就被点名',
  '老师每天晚上让家长在群里打卡上传作业视频，我们下班回来要忙到半夜',
  '孩子一年级，每天作业要写到十点多，周末还有好几张卷子',
  '新教学楼刚装修完就让孩子们搬进去上课，教室里一股刺鼻的油漆味，好几个孩子回家就头疼',
  '学校新铺的塑胶跑道味道特别大，孩子上完体育课喉咙痛',
  '学校门口的路一到放学就堵死，没有人疏导交通，孩子过马路很危险',
  '学校旁边的工地天天晚上施工到凌晨，孩子根本睡不好觉',
  '食堂的饭菜量越来越少，孩子每天中午回来都说没吃饱',
  '学校规定早上七点前必须到校，孩子每天五点多就得起床',
  '学校强制要求每个学生买指定的教辅资料，一套下来三百多块',
  '班里收了每人四百块的班费，一直没有公布花在哪里',
  '老师暗示家长去她亲戚开的辅导班补课，不去的孩子座位被调到最后一排',
  '孩子被同班几个男生堵在厕所里要钱，已经好几次了',
  '孩子回家说体育老师让他们在太阳底下站了两节课',
  '班主任当着全班的面说我家孩子笨，孩子现在不愿意去上学',
  '我们小区划片到的学校离家有六公里，旁边五百米的学校却不让上',
  '孩子报名时材料都交齐了，学校说学位满了让我们回去等通知，到现在也没人联系',
  '在培训机构交了一万二的课时费，机构突然关门了，老板电话也打不通',
  '学校的校车座位不够，好多孩子一路站着，车开得还很快',
  '冬天教室里暖气一直不热，孩子们上课都穿着羽绒服还冻得直哆嗦',
  '学校厕所长期没人打扫，门也坏了，女孩子都不敢去',
  '学校要求家长轮流去学校值日站岗，不去就在群里点名',
  '孩子转学手续办了两个月，两边学校互相推，学籍一直转不过来',
  '学校午休让孩子趴在桌子上睡，还要另外收午休费',
  '老师把学生的考试排名发在家长群里，孩子压力很大',
  '学校周六还组织补课，说是自愿，其实不去就要写说明',
  '我们学校的绩效工资已经半年没有发了',
  '学校把操场租给外面的培训班用，孩子们体育课只能在走廊上',
  '孩子在学校摔伤了胳膊，学校一直不肯承担医药费',
  '学校饮水机的水有股怪味，滤芯好像一年没换过',
  '课后服务说是自愿参加，可不报名的孩子老师就不给好脸色',
  '学校门口的小卖部卖三无辣条，孩子吃了肚子疼',
  '我家孩子有残疾证，学校以没有条件为由拒绝接收',
  '幼升小的时候学校让我们交了五千块"赞助费"，也没有收据',
  '孩子在班上被老师没收了手机，到现在都不还',
  '学校翻修后教室窗户装了铁栏杆，发生火灾根本跑不出来',
  '晚自习要上到晚上十点，初一的孩子身体吃不消',
  '我们村的小学被撤了，孩子每天要走一个多小时山路去镇上上学',
  '老师上课经常玩手机，讲课敷衍，一学期下来孩子什么都没学会',
  '学校宿舍一间住了十四个孩子，空气很差，还有蟑螂',
];

export const IMPACT = [
  '孩子现在晚上经常睡不着。', '家长们意见很大。', '这种情况已经持续一个多学期了。', '孩子回家就哭，说不想上学了。',
  '我们做家长的真的很无奈。', '好多家长都有同样的问题。', '孩子最近身体也不好。', '', '', '', '',
];

export const TRIED = [
  '我们跟班主任说过几次，都说是学校的规定。', '找过校长，校长说会研究，之后就没了下文。', '打过学校电话，一直没人接。',
  '在家长群里提过，被老师移出群了。', '去学校问过，被保安拦在门外。', '', '', '', '',
];

/** How the post ends. Many end with a question: the question asks the bureau to act, not about a policy. */
export const CLOSING = [
  '请问这个问题该如何解决？', '请问这种情况合理吗？', '请问教育局能不能管一下？', '请问我们该找谁解决？', '这样做符合规定吗？希望给个答复。',
  '希望领导重视，尽快处理。', '恳请教育局调查处理！', '盼复，谢谢！', '希望有关部门能过问一下。', '请领导帮我们想想办法。',
  '难道就没人管吗？', '我们到底该怎么办？', '请给我们家长一个说法。', '麻烦尽快核实一下。', '希望能得到妥善解决，谢谢领导！',
  '这个事情能不能帮忙协调一下？', '请问什么时候能解决？', '', '',
];

/** Short grievances typed into a chat, no greeting, no complaint word. */
export const SHORT_TAIL = ['', '。', '！', '，咋办', '，烦死了', '，谁来管管', '，太难了', '？？', '…'];

/** A complaint word said outright (the rules already know these; they keep the classifier honest). */
export const OUTRIGHT = ['我要投诉：', '实名举报：', '反映个问题：', '我要反映一下，', '我想提个建议：', '建议：', '求助！', '我要申请信息公开：'];

export const SUGGESTIONS = [
  '希望学校放学时间能推迟到五点半，方便双职工家庭接孩子', '建议在学校门口增设一个红绿灯', '希望课后服务能增加一些体育项目',
  '能不能在报名系统里加一个材料上传失败的提示', '建议食堂公开每周的菜谱', '希望教育局多开几所公办幼儿园',
];

export const HUMAN = [
  '找个真人跟我说', '有没有活人', '帮我转一下人工', '我要跟你们工作人员通话', '接一下负责招生的老师', '麻烦让管学籍的老师联系我',
  '别跟我说机器人的话，叫个人来', '我不想跟机器聊，找人工', '能不能让值班的同志接一下', '请安排工作人员跟我电话沟通',
  '你们那边有没有管这个的人', '我要找你们领导当面谈', '叫你们负责人出来', '让具体办事的人回我一下', '人工服务在哪',
  '我想直接跟招生办的人聊', '能给我转到负责资助的老师吗', '找客服', '要人工', '人工人工', '有人工吗', '麻烦转真人客服',
  '我问的问题你答不上，换个人来', '你这个回答没用，我要找人', '请工作人员给我回个电话吧', '让懂行的人跟我说说',
  'can I talk to someone', 'get me a real person please', 'I need to speak with staff', 'is there a human here',
];

export const STATUS = [
  '{when}{did}的{thing}{ask}', '{thing}{ask}', '{when}跟你们说的{thing}{ask}', '我那个{thing}{ask}', '{when}{did}{thing}，{ask}',
  '麻烦查一下{when}{did}的{thing}{ask}', '请问{when}{did}的{thing}{ask}',
];
export const STATUS_WHEN = ['上回', '上次', '前几天', '上周', '上个月', '之前', '昨天', '前天', '半个月前', '那天', '开学时'];
export const STATUS_DID = ['反映', '留言', '提', '说', '登记', '投诉', '举报', '提交', '问', '报上去'];
export const STATUS_THING = ['那个事', '那件事', '事情', '问题', '收费的事', '食堂的事', '校车那个事', '学位的事', '补课那事', '情况', '建议', '申请'];
export const STATUS_ASK = [
  '现在啥情况了', '有回音了吗', '处理得咋样了', '有结果没', '办到哪一步了', '怎么还没人联系我', '还没人回我', '到底管没管',
  '有人跟进吗', '怎么样了', '有消息了没', '你们查了没有', '拖了这么久了还没动静', '结果出来了吗', '回复了吗', '现在谁在办',
];

export const GREETING = [
  '你好', '您好', '在吗', '在不在', '有人吗', '哈喽', '早上好', '上午好', '下午好', '晚上好', '中午好', 'hi', 'hello', '老师好', '领导好',
  '打扰了', '嗨', '你好呀', '您好，在吗', '喂', '早', 'hey', 'good morning', '你好，请问在吗', '亲，在吗', '老师您好', '新年好', '节日快乐',
];

export const THANKS = [
  '谢谢', '多谢', '感谢', '谢了', 'thx', 'thank you', '好的谢谢', '明白了，谢谢老师', '辛苦了', '知道了谢谢', '懂了 感谢', '谢谢您',
  '非常感谢', '太感谢了', '好的，麻烦了', '收到，谢谢', '谢谢啊', '感谢回复', 'thanks a lot', '好嘞谢谢', '行，谢了', '万分感谢',
  '谢谢你们的耐心解答', '清楚了，多谢', '感谢领导', '感恩',
];

/** Asking for a person, composed: who they ask, whom they want, and what for. */
export const HUMAN_VERB = ['找', '接一下', '转', '叫', '帮我接', '麻烦转', '我想找', '能不能让', '请让', '给我找', '我要', '换'];
export const HUMAN_WHO = [
  '真人', '活人', '人工', '负责招生的老师', '管学籍的老师', '工作人员', '值班的同志', '客服', '懂行的人', '具体经办人', '你们科长',
  '负责资助的同志', '招生办的人', '你们的负责人', '人工坐席', '一个能做主的人', '对口科室的老师',
];
export const HUMAN_TAIL = ['', '', '说话', '聊聊', '跟我说', '接电话', '来处理', '回我', '给我打个电话', '，机器人说不明白', '，别让机器回答了', '吧'];
export const ACK = ['好的', '明白了', '知道了', '收到', '懂了', 'OK', '嗯嗯', '了解', ''];

/**
 * A family's own circumstances told before a policy question: long, personal, often ending in
 * 能…吗 / 咋办, and still a knowledge question — nobody did anything wrong.
 */
export const SITUATION = [
  '我们家去年把老房子卖了，在{community}换了套新房', '孩子户口一直挂在姥姥家，我们自己租房住', '我和孩子爸爸离婚了，孩子跟我，户口在他那边',
  '家里是双胞胎，今年一起上一年级', '孩子八月底出生，差几天满六岁', '我们两口子都在外地打工，孩子跟爷爷奶奶在老家', '孩子之前在国外读了两年书，今年刚回国',
  '新房子上个月才交房，房产证还没下来', '孩子有先天性心脏病，身体一直不太好', '老大在{school}上{grade}，老二今年该上学了', '我们是从外省调过来工作的，户口还没迁',
  '孩子在老家读到三年级，这学期想接过来', '孩子小时候生病耽误了一年，比同班大一岁', '我家是低保户，孩子他爸常年住院', '我们买的是二手房，原房主的孩子户口还没迁走',
  '孩子今年初三，户口在{area}，学籍在外区', '我们单位分的房子，没有房产证只有使用证明', '孩子视力不好，医生说要少看屏幕', '我们是军人家庭，孩子爸爸在部队',
  '孩子从私立学校转到公立学校，学籍还在原来学校', '我们一家刚从{community}搬到城东', '孩子爸爸是外籍，孩子是中国籍', '孩子上学期休学在家养病，现在好了',
  '我在{area}买了房，但是工作在另一个区', '孩子是非婚生的，户口上在我这边', '孩子明年小学毕业', '我们租的房子合同只签了半年',
];
export const SITUATION_ASK = ['，{q}', '，请问{q}', '，想问一下{q}', '，这种情况{q}', '。{q}', '，我想知道{q}'];
export const SITUATION_END = ['', '？', '吗', '，咋办', '，该怎么办', '，谢谢', '，麻烦解答一下', '。急！'];
/** Messages that say nothing (stray keys, dots, digits): the default intent, kb, handles them. */
export const NOISE_MESSAGES = ['。。。', '111', '？', '……', 'aaa', '1', '嗯', '。', '12345', '？？？', 'ok', '啊', '6', '..'];

/**
 * Questions no entry answers (school life, near-domain topics, other offices' business): still the
 * kb intent — the knowledge side declines them — and never a case just because they name 校车 or 食堂.
 */
export const OFF_TOPIC_QUESTIONS = [
  '学校冬天几点放学', '{school}中午管饭吗', '学校有没有住宿', '校车每天几点发车', '食堂一顿饭多少钱', '学校的作息时间表在哪看', '孩子在学校能带手机吗',
  '{school}排名怎么样', '哪个初中升学率高', '幼儿园几岁能入园', '公办幼儿园怎么报名', '中专学校有哪些专业', '技校毕业算什么学历', '公租房怎么申请',
  '居住证在哪个派出所办', '教师评职称要什么条件', '暑假从哪天开始放', '学校开不开家长会', '周末学校开放操场吗', '校服一套多少钱',
  '学校有心理老师吗', '孩子近视了学校有检查吗', '学校有没有午托', '春游要交钱吗', '学校图书馆孩子能借书吗', '{area}有几所公办初中',
  '寒假作业多不多', '学校有篮球队吗', '高考报名在哪里', '成人自考怎么报', '驾校怎么收费', '社保卡在哪办', '学校附近有没有公交车',
  '孩子在学校生病了老师会通知家长吗', '{school}有没有游泳课', '孩子几点到校合适', '学校门口能停车吗', '学校有没有课后篮球班',
];
export const ENGLISH_QUESTIONS = [
  'how do I register my child for grade one', 'what documents do I need for school enrollment', 'is there a school bus', 'when does the school year start',
  'how much are school meals', 'can a foreign child attend public school', 'where is the education bureau', 'what is the phone number of the bureau',
  'is the after-school program free', 'how do I transfer schools', 'is the art class free', 'what time does school start',
];

/** Chit-chat the bot is not for: kb by default (declined there), never a greeting, a case or a person. */
export const CHITCHAT = [
  '呵呵', '嘿嘿', '嘻嘻', '哈哈哈', '666', '讲个故事吧', '今天天气怎么样', '你叫什么名字', '你是谁', '帮我写个作文', '推荐部电影', '附近有什么好吃的',
  '你会唱歌吗', '你几岁了', '你是男的女的', '陪我聊会天', '明天会下雨吗', '股票能涨吗', '给我算一卦', '你吃饭了吗', '无聊', '困死了', '测试一下', 'test',
  '你们下班了吗', '你真聪明', '给我唱首歌', '给我推荐本书', '帮我查下快递', '给我讲讲历史故事', '帮我翻译一句英语', '给我出道数学题', '笨蛋', '机器人你好笨', '你能干啥',
];
