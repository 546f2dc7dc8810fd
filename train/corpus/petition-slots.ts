/**
 * Building blocks for citizens' posts on 问政/留言板 boards, written by the team for training only (nothing here
 * comes from an evaluation set). A post is composed: an optional title line, an address, who writes, a
 * situation in one to three sentences (what happened, how long, what it does to the child), what they tried,
 * and a request for action that is often a question. The situations are composed from a subject, a wrong and a
 * consequence so that no single sentence is learnt by heart.
 */

export const TITLE = [
  '关于{topic}的问题', '关于{topic}的反映', '{topic}问题亟待解决', '反映{topic}', '{topic}谁来管？', '请关注{topic}', '【{topic}】', '{topic}，望领导重视',
];

export const ADDRESS = [
  '领导您好：', '尊敬的领导：', '尊敬的{area}教育局领导：', '局长您好：', '尊敬的局长，您好！', '书记您好，', '区长您好：', '各位领导：', '领导同志您好，',
  '尊敬的县委书记：', '市长您好！', '教育局的领导们：', '您好！', '你好，', '领导好！', '尊敬的张局长：', '王书记您好：', '尊敬的各位领导，你们好！',
  '{area}教育局：', '致教育局领导：', '领导，', '', '', '', '',
];

export const WRITER = [
  '我是{school}{grade}学生的家长。', '本人是{place}居民，孩子在{school}读{grade}。', '我们是{school}{grade}的部分家长。', '我是一名在{place}务工的外地人，',
  '我家孩子今年在{school}上{grade}，', '我是{school}的老师，', '我是孩子的姥姥，孩子跟着我在{place}上学。', '我是{community}的业主，', '我是一名{grade}学生，',
  '本人系{school}退休教师，', '我是一名单亲妈妈，孩子在{school}上学，', '我们是{place}的村民，', '', '', '', '',
];

/** Who does the wrong (subject) and what they do (wrong): composed, so the wrong is not one memorised sentence. */
export const DOER = ['班主任', '数学老师', '英语老师', '语文老师', '体育老师', '学校', '校长', '幼儿园', '园长', '培训机构', '学校食堂', '宿管老师', '教务处', '校车公司', '配餐公司', '年级组'];
export const WRONG_ACT = [
  '要求家长每天晚上批改作业并拍照上传，改不完不许睡', '让家长轮流到学校打扫卫生', '在家长群里公布每次考试的排名', '强制学生购买指定的练习册和试卷',
  '每学期以各种名义收取资料费、班费，从来不公示账目', '暗示家长把孩子送到他自己开的辅导班', '经常在课堂上讽刺挖苦成绩差的学生', '没收学生的东西一直不还',
  '课间不让孩子出教室，上厕所都要报告', '周末组织收费补课，说是自愿其实人人都得去', '给孩子吃的饭菜又少又凉', '把孩子单独留在办公室训话到天黑',
  '不按规定退还预收的学费', '放学后把孩子留下来写作业到七点', '让孩子们在烈日下站军姿一个多小时', '让学生给老师送节日礼物', '强迫家长下载各种APP打卡',
  '让学生中午趴在桌子上睡，还收午休费', '用手机APP给孩子每天的表现打分，分低的要家长来学校', '擅自更改孩子的座位和分班', '扣留学生的毕业证不发',
  '让学生帮老师批改作业、登记成绩', '安排孩子课间去搬桌椅和打扫老师办公室', '拒绝给孩子开转学需要的证明', '体育课经常被换成语文数学',
];
/** Harm from a place or a thing, not a person. */
export const PLACE_WRONG = [
  '新装修的教室一直有刺鼻的气味，孩子们回家喉咙疼、咳嗽', '教室里的灯一闪一闪的，孩子看久了眼睛疼', '学校门口每天放学都堵成一锅粥，没有人指挥交通',
  '宿舍一间住了十几个人，没有热水，厕所常年堵着', '操场的塑胶跑道开裂翘起，已经有孩子绊倒受伤', '校门口的马路没有斑马线和红绿灯，孩子过马路很危险',
  '学校旁边的饭店油烟直接排进教室', '学校附近新开了一家网吧，经常有学生逃课去上网', '食堂的菜里吃出了头发和虫子', '校车严重超载，孩子只能站着或者挤坐在别人腿上',
  '教室冬天没有暖气，孩子们手脚都长了冻疮', '饮水机的水有一股怪味，很多孩子拉肚子', '夏天教室里四十度，没有空调也没有风扇', '学校楼梯的扶手松动了一直没人修',
  '学校边上的工地夜里施工，机器轰隆隆响到凌晨', '小区配套的幼儿园建好三年了一直不开园', '学校的厕所没有隔板，孩子们不敢上厕所', '学校的围墙塌了一个口子，外面的人随便进出',
];
export const HOW_LONG = ['', '', '这种情况从开学一直持续到现在。', '已经有两个多月了。', '去年就这样，今年还是没有改。', '{month}月{day}日又发生了一次。', '前前后后已经有三次了。', '差不多一个学期了。'];
export const CONSEQUENCE = [
  '', '', '孩子每天晚上十一点多才能睡觉。', '我家孩子现在害怕去学校。', '家长们都敢怒不敢言。', '孩子最近老做噩梦。', '孩子的身体明显变差了。', '好多家长都很担心。',
  '我们双职工家庭实在吃不消。', '孩子回家哭着说不想上学了。', '孩子的成绩也下降了。', '有几个孩子已经去医院看过了。', '我们家经济困难，实在负担不起。',
];
export const TRIED = [
  '', '', '', '我们跟班主任沟通过，没有任何改变。', '也找过校长，说会处理，结果不了了之。', '打了几次12345，都说转给教育局了。', '我们家长写过联名信，学校不予理睬。',
  '在家长群里提了一句，就被老师私聊批评。', '去学校反映被门卫拦住不让进。', '学校的答复是上面的要求，他们也没办法。',
];
/** The request for action: what the citizen wants the bureau to do. Often a question, never about a policy text. */
export const REQUEST = [
  '请问这个问题该如何解决？', '请问这种做法合理吗？', '请问学校这样做符合规定吗？', '这个问题到底该找谁？', '请领导过问一下。', '恳请有关部门调查处理。',
  '希望教育局能管一管。', '望尽快予以解决，盼复。', '请给我们一个答复。', '这样的情况谁来管？', '请问我们家长该怎么办？', '请相关部门核实并严肃处理。',
  '希望领导能帮帮我们。', '请问什么时候能解决？', '难道没有人管吗？', '我们的诉求是退还所有费用。', '希望能够妥善处理，谢谢！', '请尽快派人来看看。',
  '这种事情不应该有人管吗？', '恳请领导为我们做主！', '盼复！', '请问教育局知道这个情况吗？', '请督促学校整改。', '麻烦领导帮忙协调一下，谢谢。', '', '',
];
export const SIGN_OFF = ['', '', '', '', '一位着急的家长', '此致 敬礼！', '谢谢领导！', '一个无奈的妈妈', '盼回复。', '（请不要透露我的信息）'];

/**
 * A decision taken against the family or a staff member (admission, zoning, records, pay), told as facts: the wrong
 * a post disputes is often an administrative one, in the knowledge base's own words (报名, 划片, 学籍, 调剂).
 */
export const DECISION_WRONG = [
  '我们按片区本该上{school}，报名时却被告知学位满了，让我们去十几公里外的学校', '孩子的转学手续办了两个月，还卡在学籍系统里，原学校和新学校互相推',
  '学校以成绩不好为由，不让孩子直升本校的初中部', '今年的划片方案突然把我们小区从{school}划了出去，事先没有任何公示', '孩子的学籍被学校弄丢了，升学报名的系统里查不到人',
  '孩子有残疾证，学校说没有条件，拒绝接收', '我们的入学资格审核被退回了三次，每次说缺的材料都不一样', '学校要求随迁子女额外交一笔借读费，不交就不给注册',
  '代课老师的工资已经被拖欠了三个多月', '学校把孩子的资助名额给了家里条件更好的学生', '我们交齐了材料，孩子的毕业证到现在也没发下来',
  '孩子被调剂到一所民办学校，学费一年要一万多，我们根本负担不起', '学校强行让孩子休学，说是影响班级成绩', '区里承诺的教师周转房分配不公开，谁分到了谁没分到都不知道',
];

/** What the title names. */
export const TOPIC = [
  '作业负担', '学校乱收费', '教室异味', '校车安全', '校门口交通', '食堂饭菜', '老师体罚学生', '学校噪音', '学区划分不合理', '民办学校退费',
  '代课教师工资', '课后服务收费', '校服价格', '孩子入学难', '幼儿园开园', '学生宿舍条件', '有偿补课', '孩子被欺负', '教师绩效工资', '学籍转不出来',
];

/** Short posts typed on a phone: a grievance in a line or two, no greeting. */
export const SHORT_END = ['', '', '。', '！', '，谁管', '，太过分了吧', '，咋整', '？？', '，合理吗', '，这正常吗？', '，有没有人管管', '，求解决'];

/**
 * A family's own circumstances followed by a question about a rule or a procedure: long, addressed to 领导,
 * ending in a question mark, and still a knowledge question (nobody did anything wrong, nothing is asked of
 * anyone but information). These keep the classifier from reading "long + 领导您好 + ？" as a petition.
 */
export const OWN_CASE = [
  '我家孩子{year}年{month}月出生，户口在老家', '我们一家去年从外省搬来，在{place}租房住', '孩子跟着爷爷奶奶生活，父母都在外地打工', '孩子今年{grade}，我们准备搬家到{place}',
  '我们刚在{community}买了房子，房产证还没办下来', '孩子是随迁子女，我们在{place}交了两年社保', '孩子有残疾证，平时需要人照顾', '孩子在外省读到{grade}，今年想转回来',
  '我们家是低保户，两个孩子都在上学', '我是现役军人家属，刚随军过来', '孩子是早产儿，身体比同龄人弱一些', '孩子去年生病休学了一年', '家里三个孩子，老大已经在{school}上学',
  '孩子户口在集体户上，我们没有自己的房子', '孩子在国外出生，持外国护照', '孩子今年初三，学籍在外区', '我们是港澳居民，在内地工作',
];
export const RULE_QUESTION = [
  '请问孩子上学需要准备哪些材料？', '请问今年什么时候报名？', '请问这种情况在哪里报名？', '请问能申请哪些补助，去哪里申请？', '请问需要办理什么手续？',
  '请问是按户口还是按房子划片？', '请问有没有相关的优待政策？', '请问转学的流程是什么？', '请问学籍怎么办理？', '请问需要提供哪些证明？',
  '请问报名截止到几号？', '请问可以在网上办理吗？', '请问这种情况能不能就近入学？', '请问收费标准是多少？', '请问办理需要多长时间？', '请问符合什么条件才能申请？',
];

export const EN_PETITION = [
  'Dear Director, {en_wrong}. We have spoken to the school several times and nothing has changed. {en_ask}',
  'To the education bureau: {en_wrong}. {en_ask}',
  'Hello, I am a parent of a Grade {n} pupil. {en_wrong}, and my child is now afraid to go to school. {en_ask}',
  'I am writing on behalf of several parents. {en_wrong}. {en_ask}',
];
export const EN_WRONG = [
  'the class teacher makes parents mark and sign homework every night until very late', 'the new classrooms smell of paint and many children are coughing',
  'the school bus is always overloaded and has no seat belts', 'the canteen food is cold and the portions are too small', 'the school charges fees for extra classes that are called voluntary',
  'a teacher shouts at the children and calls them stupid', 'the school kept the tuition after it closed', 'a construction site next to the school works all night',
];
export const EN_ASK = [
  'Could the bureau look into this?', 'Who can we turn to?', 'Please investigate.', 'Is this really allowed?', 'We ask you to take action.', 'How can this be solved?',
];
export const EN_KB = [
  'Hello, we moved here last year and rent an apartment; my daughter turns six in {monthEn}. What documents do we need to enrol her in primary school?',
  'Dear Sir or Madam, my son is finishing Grade {n} abroad and we are returning to China. How does he transfer into a public school here?',
  'Hi, I am a single parent with a low income. Are there any grants for school children, and how do I apply?',
  'Good morning, our family has a residence permit and pays social insurance here. When does registration for first grade open this year?',
];

/** The same, typed as one short chat line: the circumstance, then a colloquial question about what is possible. */
export const OWN_CASE_SHORT = [
  '孩子户口在老家', '娃明年满六岁', '孩子在外省上的学', '我们刚搬过来', '房子是租的', '孩子身体不好在家休养', '孩子出国两年刚回来', '证书搬家弄丢了',
  '孩子身份证号录错了', '娃想去离家近的学校', '家里困难交不起学费', '孩子是双胞胎', '孩子想读职高', '我们没有房产证', '孩子残疾行动不便', '户口刚迁过来',
];
export const SHORT_RULE_QUESTION = [
  '能在这边上学不', '还能报名吗', '学籍咋弄', '手续咋办', '要啥材料', '能补办不', '可以晚一年上吗', '能转学不', '能申请补助不', '在哪办',
  '能改过来吗', '有啥政策', '要交钱不', '能送教上门吗', '可以不去学校吗', '行不行', '咋整', '算哪个片区的',
];
