import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { t } from '../../i18n/index.js';
import '../../i18n/jobs.js';
import type { Locale } from '../../types.js';

/**
 * The monthly chart: cases and disclosures per month for the last 12 months,
 * rendered server-side (vega-lite → vega SVG → resvg PNG; no browser).
 * Labels are in the staff's language (STAFF_LOCALE). The font is the project's own dependency, @embedpdf/fonts-sc
 * (Noto Sans S Chinese, OTF, GB2312 glyphs): resvg loads that file and no system
 * font, so the chart renders the same on any machine, with or without fonts-noto-cjk.
 * vega, vega-lite and resvg (~20 MB of the bot's memory) load on the first chart, once a month.
 */
export interface ChartPoint {
  month: string; // YYYY-MM
  cases: number;
  disclosures: number;
}

/** The family name inside NotoSansHans-Regular.otf. */
export const CHART_FONT_FAMILY = 'Noto Sans S Chinese';

/** The chart's words in the staff's language. */
export function chartLabels(locale: Locale) {
  const label = (key: string) => t(locale, `jobs.monthly.chart.${key}`);
  return { title: label('title'), month: label('month'), count: label('count'), cases: label('cases'), disclosures: label('disclosures') };
}

/** Path of the OTF the chart is drawn with (from the installed npm package, not the system). */
export function chartFontFile(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@embedpdf/fonts-sc'); // …/@embedpdf/fonts-sc/dist/index.cjs (package.json is not exported)
  return join(dirname(dirname(main)), 'fonts', 'NotoSansHans-Regular.otf');
}

export function chartSpec(series: ChartPoint[], locale: Locale): TopLevelSpec {
  const labels = chartLabels(locale);
  const values = series.flatMap((p) => [
    { month: p.month, series: labels.cases, count: p.cases },
    { month: p.month, series: labels.disclosures, count: p.disclosures },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: labels.title,
    width: 640,
    height: 280,
    background: 'white',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: labels.month, axis: { labelAngle: -45 } },
      xOffset: { field: 'series', sort: [labels.cases, labels.disclosures] },
      y: { field: 'count', type: 'quantitative', title: labels.count },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        // vega measures text without a canvas and underestimates CJK widths: a right-hand legend gets clipped.
        // labelLimit 0: vega cuts a label past 160 px ("Proactive disclosu…") otherwise.
        legend: { orient: 'bottom', labelLimit: 0 },
        sort: [labels.cases, labels.disclosures],
        scale: { range: ['#1f77b4', '#ff7f0e'] },
      },
    },
    config: { font: CHART_FONT_FAMILY },
  };
}

/** SVG text of the chart (handy for tests and debugging). */
export async function renderChartSvg(series: ChartPoint[], locale: Locale): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(chartSpec(series, locale)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** resvg's font options: the chart font only, no system fonts, so the pixels are the same everywhere. */
export function chartFontOptions(): { loadSystemFonts: false; fontFiles: string[]; defaultFontFamily: string } {
  return { loadSystemFonts: false, fontFiles: [chartFontFile()], defaultFontFamily: CHART_FONT_FAMILY };
}

/** PNG bytes of an SVG drawn with the chart font. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, { background: 'white', font: chartFontOptions() }).render().asPng();
}

/** PNG bytes of the chart. */
export async function renderChartPng(series: ChartPoint[], locale: Locale): Promise<Buffer> {
  return svgToPng(await renderChartSvg(series, locale));
}
