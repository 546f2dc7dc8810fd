import type { TopLevelSpec } from 'vega-lite';

/**
 * The monthly chart: cases and disclosures per month for the last 12 months,
 * rendered server-side (vega-lite → vega SVG → resvg PNG; no browser).
 * Labels are ASCII only (YYYY-MM, numbers, English legend) so the chart reads
 * the same with any system font, including a fresh Debian with only
 * fonts-dejavu-core; with no font at all the bars and lines still render.
 * vega, vega-lite and resvg (~20 MB of the bot's memory) load on the first chart, once a month.
 */
export interface ChartPoint {
  month: string; // YYYY-MM
  cases: number;
  disclosures: number;
}

export function chartSpec(series: ChartPoint[]): TopLevelSpec {
  const values = series.flatMap((p) => [
    { month: p.month, series: 'cases', count: p.cases },
    { month: p.month, series: 'disclosures', count: p.disclosures },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Cases and disclosures per month',
    width: 640,
    height: 280,
    background: 'white',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: -45 } },
      xOffset: { field: 'series' },
      y: { field: 'count', type: 'quantitative', title: 'Count' },
      color: { field: 'series', type: 'nominal', title: null, scale: { range: ['#1f77b4', '#ff7f0e'] } },
    },
    config: { font: 'DejaVu Sans, Liberation Sans, Noto Sans, sans-serif' },
  };
}

/** SVG text of the chart (handy for tests and debugging). */
export async function renderChartSvg(series: ChartPoint[]): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(chartSpec(series)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG bytes of the chart. */
export async function renderChartPng(series: ChartPoint[]): Promise<Buffer> {
  const svg = await renderChartSvg(series);
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render();
  return png.asPng();
}
