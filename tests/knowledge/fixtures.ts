import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Write `files` (relative path → content) into a fresh temp folder and return it. */
export function writeKnowledge(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kb-'));
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

export const entry = (front: string, body: string) => `---\n${front.trim()}\n---\n${body}`;

/** A small inline corpus in the real format, written as a bureau would publish it. */
export const CORPUS: Record<string, string> = {
  'enrollment/age.md': entry(
    'id: enrollment-age\ntitle: 小学一年级入学年龄\ncategory: enrollment\nquestions: [孩子多大可以上一年级]\ntags: [入学年龄, 8月31日]',
    '## 年龄规定\n\n凡年满6周岁（8月31日前出生）的适龄儿童应当入学。\n\n## 不满6周岁能否提前入学\n\n不能提前入学。\n',
  ),
  'enrollment/materials.md': entry(
    'id: enrollment-materials-primary\ntitle: 小学一年级报名材料\ncategory: enrollment\nquestions: [小学报名需要准备哪些材料]',
    '报名时请携带以下材料。\n\n## 基本材料\n\n户口簿、房产证、出生医学证明。\n\n## 租房家庭\n\n房屋租赁合同和居住证。\n',
  ),
  'enrollment/lottery.md': entry(
    'id: enrollment-private-lottery\ntitle: 民办学校招生与电脑随机派位\ncategory: enrollment\nquestions: [民办学校怎么摇号]\ntags: [公民同招]',
    '民办义务教育学校与公办学校同步招生，报名人数超过招生计划的，实行电脑随机派位。\n',
  ),
  'service-guides/teacher.md': entry(
    'id: guide-teacher-certification\ntitle: 教师资格认定办事指南\ncategory: service-guide\nquestions: [教师资格认定要交哪些材料]',
    '## 受理条件\n\n持有教师资格考试合格证明。\n\n## 申请材料\n\n身份证、学历证书、体检证明。\n\n## 办理时限\n\n15个工作日。\n',
  ),
  'contact/bureau.md': entry(
    'id: contact-bureau\ntitle: 溪湖区教育局联系方式\ncategory: contact\nquestions: [教育局电话是多少]',
    '咨询电话：024-42842001。办公时间：工作日8:30—17:00。\n',
  ),
  'policy/transfer.md': entry(
    'id: guide-student-transfer\ntitle: 学生转学办理\ncategory: service-guide\nquestions: [孩子转学怎么办理]',
    '转学由转入学校通过全国学籍系统发起，转出学校核办。\n',
  ),
};
