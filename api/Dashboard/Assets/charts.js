// Tokens per second and time to first token over the last minutes, a line per model, drawn as
// SVG from the request log (no chart library).

import { state, changes } from './store.js';
import { $, h, milliseconds, number, seriesClass } from './ui.js';

const svgNs = 'http://www.w3.org/2000/svg';
const height = 220;
const margin = { left: 60, right: 12, top: 10, bottom: 24 };
let ticker = null;

export function init() {
  changes.addEventListener('requests', render);
  $('#charts-window').addEventListener('change', render);
  window.addEventListener('resize', render);
}

export function show() {
  render();
  // Time moves on even when no request comes: old points slide out of the window.
  ticker = setInterval(render, 5000);
}

export function hide() {
  clearInterval(ticker);
}

function svg(tag, attributes = {}) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

function render() {
  if ($('#view-charts').hidden) {
    return;
  }
  const minutes = Number($('#charts-window').value);
  const now = Date.now();
  const from = now - minutes * 60_000;
  const records = state.requests.filter((record) => record.status_code < 400 && Date.parse(record.timestamp) >= from);
  const byModel = new Map();
  for (const record of records) {
    if (!byModel.has(record.model)) {
      byModel.set(record.model, []);
    }
    byModel.get(record.model).push(record);
  }
  draw($('#chart-speed'), byModel, from, now, (record) => record.timings.tokens_per_second, (value) => `${number(value)} tokens/s`, '', 'tokens per second');
  draw($('#chart-ttft'), byModel, from, now, (record) => record.timings.time_to_first_token_ms, milliseconds, ' ms', 'time to first token');
  $('#charts-legend').replaceChildren(...[...byModel.keys()].map((model) =>
    h('li', {}, h('span', { class: `swatch ${seriesClass(model)}` }), model)));
  $('#charts-empty').hidden = records.length > 0;
}

function draw(chart, byModel, from, to, value, format, unit, what) {
  // Drawn at the size it is shown, so text and lines are never stretched.
  const width = Math.max(chart.clientWidth, 200);
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const points = [...byModel.values()].flat().map(value).filter((v) => v > 0);
  const top = niceCeiling(points.length > 0 ? Math.max(...points) : 1);
  const x = (time) => margin.left + ((time - from) / (to - from)) * (width - margin.left - margin.right);
  const y = (v) => height - margin.bottom - (v / top) * (height - margin.top - margin.bottom);
  const children = [];
  // 5 → 1 2 3 4 5; 1 or 2 → quarters: every label a round number.
  const divisions = top / 10 ** Math.floor(Math.log10(top)) === 5 ? 5 : 4;
  for (let i = 0; i <= divisions; i++) {
    const v = (top * i) / divisions;
    children.push(svg('line', { class: i === 0 ? 'axis' : 'grid-line', x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v) }));
    const label = svg('text', { x: margin.left - 6, y: y(v) + 4, 'text-anchor': 'end' });
    label.textContent = tick(v, top, unit);
    children.push(label);
  }
  const minutes = (to - from) / 60_000;
  const step = minutes <= 5 ? 1 : minutes <= 15 ? 5 : 15;
  for (let m = 0; m <= minutes; m += step) {
    const label = svg('text', { x: x(to - m * 60_000), y: height - 6, 'text-anchor': m === 0 ? 'end' : 'middle' });
    label.textContent = m === 0 ? 'now' : `−${m} min`;
    children.push(label);
  }
  const summary = [];
  for (const [model, records] of byModel) {
    const series = records.filter((record) => value(record) > 0);
    if (series.length === 0) {
      continue;
    }
    const colour = seriesClass(model);
    const path = series.map((record, i) => `${i === 0 ? 'M' : 'L'}${x(Date.parse(record.timestamp)).toFixed(1)},${y(value(record)).toFixed(1)}`).join(' ');
    children.push(svg('path', { class: `series ${colour}`, d: path, 'data-model': model }));
    for (const record of series) {
      const dot = svg('circle', { class: colour, cx: x(Date.parse(record.timestamp)), cy: y(value(record)), r: 3 });
      const title = svg('title');
      title.textContent = `${model}: ${format(value(record))}`;
      dot.append(title);
      children.push(dot);
    }
    summary.push(`${model} latest ${format(value(series[series.length - 1]))}`);
  }
  chart.replaceChildren(...children);
  chart.setAttribute('aria-label', summary.length > 0 ? `${what}: ${summary.join('; ')}` : `${what}: no requests in this window`);
}

/** An axis label with as many decimals as the scale needs. */
function tick(value, top, unit) {
  const digits = top >= 10 ? 0 : top >= 1 ? 1 : 2;
  return `${value.toFixed(value === 0 ? 0 : digits)}${unit}`;
}

/** 1, 2, 5 × 10^n at or above value, so the axis reads in round numbers. */
function niceCeiling(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) {
      return step * power;
    }
  }
  return 10 * power;
}
