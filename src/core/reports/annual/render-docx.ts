import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { assertBalanced } from './checks.js';
import { table2Grid, table3Grid, table4Grid, type Grid } from './layout.js';
import { SECTION_HEADINGS, type AnnualReport } from './model.js';

/**
 * A Word document as government offices format them (GB/T 9704 habits): A4,
 * 方正小标宋/宋体 title, 黑体 section headings, 仿宋_GB2312 三号 body with a two-character
 * first-line indent, and real tables with merged header cells. Refuses an unbalanced report.
 */
const BODY_FONT = { eastAsia: '仿宋_GB2312', ascii: 'FangSong', hAnsi: 'FangSong', hint: 'eastAsia' };
const HEADING_FONT = { eastAsia: '黑体', ascii: 'SimHei', hAnsi: 'SimHei', hint: 'eastAsia' };
const KAITI_FONT = { eastAsia: '楷体_GB2312', ascii: 'KaiTi', hAnsi: 'KaiTi', hint: 'eastAsia' };
const TITLE_FONT = { eastAsia: '方正小标宋简体', ascii: 'SimSun', hAnsi: 'SimSun', hint: 'eastAsia' };
const BODY_SIZE = 32; // half-points: 三号 = 16pt
const TABLE_SIZE = 18; // 9pt: table 四 has 15 columns on a portrait page
const MM = 56.7; // twips per millimetre
const MARGINS = { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };
const TEXT_WIDTH = 11906 - MARGINS.left - MARGINS.right; // A4 width minus margins, in twips

const body = (text: string) =>
  new Paragraph({
    children: [new TextRun({ text, font: BODY_FONT, size: BODY_SIZE })],
    indent: { firstLine: BODY_SIZE * 20 }, // two characters
    spacing: { line: 560 }, // fixed 28pt, the usual 公文 line pitch
    alignment: AlignmentType.JUSTIFIED,
  });

const heading = (text: string, level: 1 | 2) =>
  new Paragraph({
    heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
    children: [
      new TextRun({ text, font: level === 1 ? HEADING_FONT : KAITI_FONT, size: BODY_SIZE, bold: false, color: '000000' }),
    ],
    indent: { firstLine: BODY_SIZE * 20 },
    spacing: { line: 560 },
  });

function gridTable(grid: Grid): Table {
  const rows = grid.rows.map(
    (row, i) =>
      new TableRow({
        tableHeader: i < grid.headerRows,
        cantSplit: true,
        children: row.map(
          (cell) =>
            new TableCell({
              columnSpan: cell.colSpan,
              rowSpan: cell.rowSpan,
              verticalAlign: VerticalAlignTable.CENTER,
              children: [
                new Paragraph({
                  alignment: cell.numeric || cell.header ? AlignmentType.CENTER : AlignmentType.LEFT,
                  children: [
                    new TextRun({ text: cell.text, font: cell.header ? HEADING_FONT : BODY_FONT, size: TABLE_SIZE }),
                  ],
                }),
              ],
            }),
        ),
      }),
  );
  const weights = grid.widths ?? Array.from({ length: grid.columns }, () => 1);
  const unit = TEXT_WIDTH / weights.reduce((a, b) => a + b, 0);
  const columnWidths = weights.map((w) => Math.floor(w * unit));
  return new Table({ rows, columnWidths, layout: TableLayoutType.FIXED, width: { size: TEXT_WIDTH, type: WidthType.DXA } });
}

export function buildDocxDocument(report: AnnualReport): Document {
  assertBalanced(report);
  const [s1, s2, s3, s4, s5, s6] = SECTION_HEADINGS;
  const spacer = () => new Paragraph({ children: [] });
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      spacing: { after: 400 },
      children: [new TextRun({ text: report.title, font: TITLE_FONT, size: 44, color: '000000' })],
    }),
    ...report.intro.map(body),
    heading(s1, 1),
    ...report.overview.flatMap((b) => [...(b.heading ? [heading(b.heading, 2)] : []), ...b.paragraphs.map(body)]),
    heading(s2, 1),
    gridTable(table2Grid(report)),
    spacer(),
    heading(s3, 1),
    gridTable(table3Grid(report)),
    spacer(),
    heading(s4, 1),
    gridTable(table4Grid(report)),
    spacer(),
    heading(s5, 1),
    ...report.problems.map(body),
    heading(s6, 1),
    ...report.other.map(body),
  ];
  return new Document({
    creator: report.bureau,
    title: report.title,
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: BODY_SIZE } },
        heading1: { run: { font: HEADING_FONT, size: BODY_SIZE, color: '000000', bold: false } },
        heading2: { run: { font: KAITI_FONT, size: BODY_SIZE, color: '000000', bold: false } },
        title: { run: { font: TITLE_FONT, size: 44, color: '000000' } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 }, // A4 in twips
            margin: MARGINS,
          },
        },
        children,
      },
    ],
  });
}

/** The .docx bytes. */
export async function renderDocx(report: AnnualReport): Promise<Buffer> {
  return Packer.toBuffer(buildDocxDocument(report));
}
