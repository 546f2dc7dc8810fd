import type { Migration } from './index.js';

/**
 * Registers the annual disclosure report needs and cases do not hold: 规范性文件,
 * 行政许可 / 行政处罚 / 行政强制 decisions, 行政事业性收费, 建议提案, 行政复议 / 行政诉讼,
 * 信息处理费, major projects. One table; each kind's fields are validated by its
 * zod schema (src/storage/registers-repo.ts) before they reach it.
 */
export const m0005AnnualRegisters: Migration = {
  id: 5,
  name: 'annual-registers',
  up: `
CREATE TABLE register_items (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,        -- normative-doc | license | enforcement | fee | proposal | review | info-fee | project
  title TEXT NOT NULL,
  ref TEXT,                  -- 文号 / 提案号 / 案号
  category TEXT,             -- 规章 | 行政规范性文件; 行政处罚 | 行政强制; 政协提案 | 人大建议; 行政复议 | 未经复议直接起诉 | 复议后起诉
  date_on TEXT NOT NULL,     -- YYYY-MM-DD: issued / decided / collected / handled / filed / completed
  end_on TEXT,               -- YYYY-MM-DD: repealed (规范性文件), decided (复议/诉讼)
  outcome TEXT,              -- 维持 | 纠正 | 其他 | 尚未审结
  amount_yuan REAL,          -- fees
  count INTEGER NOT NULL DEFAULT 1,
  note TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX register_items_kind_date ON register_items(kind, date_on);
`,
};
