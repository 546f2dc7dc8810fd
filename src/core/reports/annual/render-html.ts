import { assertBalanced } from './checks.js';
import { table2Grid, table3Grid, table4Grid, type Grid } from './layout.js';
import { SECTION_HEADINGS, type AnnualReport } from './model.js';

/**
 * A standalone HTML page (A4 print styles, 仿宋 body, 黑体 headings) with the
 * tables' merged header cells as real rowspan/colspan. Refuses an unbalanced report.
 */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function gridHtml(grid: Grid, caption: string): string {
  const rows = grid.rows.map((row, i) => {
    const cells = row.map((cell) => {
      const tag = cell.header || i < grid.headerRows ? 'th' : 'td';
      const span = `${cell.colSpan && cell.colSpan > 1 ? ` colspan="${cell.colSpan}"` : ''}${cell.rowSpan && cell.rowSpan > 1 ? ` rowspan="${cell.rowSpan}"` : ''}`;
      return `<${tag}${span}${cell.numeric ? ' class="num"' : ''}>${escapeHtml(cell.text)}</${tag}>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table aria-label="${escapeHtml(caption)}">\n${rows.join('\n')}\n</table>`;
}

const paragraphs = (ps: string[]) => ps.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');

const STYLE = `@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: 仿宋_GB2312, FangSong, STFangsong, serif; font-size: 16pt; line-height: 1.6; max-width: 48em; margin: auto; }
h1 { font-family: 方正小标宋简体, SimSun, serif; font-size: 22pt; text-align: center; font-weight: normal; }
h2, h3 { font-family: 黑体, SimHei, sans-serif; font-size: 16pt; font-weight: normal; }
p { text-indent: 2em; margin: 0.3em 0; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; margin: 0.5em 0 1em; }
th, td { border: 1px solid #000; padding: 2px 4px; text-align: center; font-weight: normal; }
td:not(.num) { text-align: left; }`;

export function renderHtml(report: AnnualReport): string {
  assertBalanced(report);
  const [s1, s2, s3, s4, s5, s6] = SECTION_HEADINGS;
  const overview = report.overview
    .map((b) => `${b.heading ? `<h3>${escapeHtml(b.heading)}</h3>\n` : ''}${paragraphs(b.paragraphs)}`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(report.title)}</h1>
${paragraphs(report.intro)}
<h2>${s1}</h2>
${overview}
<h2>${s2}</h2>
${gridHtml(table2Grid(report), s2)}
<h2>${s3}</h2>
${gridHtml(table3Grid(report), s3)}
<h2>${s4}</h2>
${gridHtml(table4Grid(report), s4)}
<h2>${s5}</h2>
${paragraphs(report.problems)}
<h2>${s6}</h2>
${paragraphs(report.other)}
</body>
</html>
`;
}
