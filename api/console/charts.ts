// Charts drawn on the server as SVG by Apache ECharts (no script in the browser, prints as drawn):
// bars for counts by a grouping, stacked bars for deadlines met on time and missed.
import * as echarts from 'echarts';
import { html, raw } from 'hono/html';

const GREEN = '#1f6f43';
const RED = '#8a1c1c';
const TEXT = { color: '#1d2430', fontFamily: 'system-ui, sans-serif' };

function svg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: TEXT, ...option });
  const out = chart.renderToSVGString();
  chart.dispose();
  return out;
}

/** An image with its words for a screen reader, and the numbers beside it in a table the page shows. */
const figure = (title: string, drawn: string) => html`<figure class="chart" role="img" aria-label="${title}">${raw(drawn)}</figure>`;

export function barChart(title: string, rows: Array<{ label: string; value: number }>, o: { horizontal?: boolean } = {}) {
  const labels = rows.map((r) => r.label);
  const values = rows.map((r) => r.value);
  const height = o.horizontal ? Math.max(160, 28 * rows.length + 60) : 260;
  const category = { type: 'category' as const, data: labels, axisLabel: { interval: 0, width: 140, overflow: 'truncate' as const } };
  const value = { type: 'value' as const, minInterval: 1 };
  return figure(
    title,
    svg(
      {
        title: { text: title, textStyle: { fontSize: 14, ...TEXT } },
        grid: { left: o.horizontal ? 150 : 40, right: 20, top: 40, bottom: 40 },
        xAxis: o.horizontal ? value : category,
        yAxis: o.horizontal ? { ...category, inverse: true } : value,
        series: [{ type: 'bar', data: values, itemStyle: { color: GREEN }, label: { show: true, position: o.horizontal ? 'right' : 'top' } }],
      },
      640,
      height,
    ),
  );
}

export function timelinessChart(title: string, rows: Array<{ label: string; onTime: number; late: number }>, words: { onTime: string; late: string }) {
  return figure(
    title,
    svg(
      {
        title: { text: title, textStyle: { fontSize: 14, ...TEXT } },
        legend: { top: 22, right: 0 },
        grid: { left: 150, right: 20, top: 50, bottom: 30 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
        series: [
          { name: words.onTime, type: 'bar', stack: 'all', data: rows.map((r) => r.onTime), itemStyle: { color: GREEN } },
          { name: words.late, type: 'bar', stack: 'all', data: rows.map((r) => r.late), itemStyle: { color: RED } },
        ],
      },
      640,
      Math.max(180, 30 * rows.length + 80),
    ),
  );
}
