// Loaded models: memory against the node's budget, in use or idle, keep-alive and the time left
// before each unloads, and unload buttons. Reads /engines/ps, which never touches a model.

import { call } from './api.js';
import { state, changes, refreshLoaded } from './store.js';
import { $, h, bytes, duration, parseGoDuration, seriesClass, showError } from './ui.js';

let ticker = null;

export function init() {
  changes.addEventListener('loaded', render);
  changes.addEventListener('metrics', renderMemory);
  $('#unload-all').addEventListener('click', () => unload({ all: true }, $('#unload-all')));
}

export function show() {
  render();
  // The countdowns move every second between polls.
  ticker = setInterval(tick, 1000);
}

export function hide() {
  clearInterval(ticker);
}

function render() {
  const rows = state.loaded.map((runner) => {
    const busy = runner.in_use || runner.loading;
    const stateText = runner.loading ? 'Loading' : runner.in_use ? `In use${runner.queued_requests ? `, ${runner.queued_requests} queued` : ''}` : 'Idle';
    return h('tr', { 'data-model': runner.model },
      h('th', { scope: 'row' }, runner.model),
      h('td', {}, runner.node || ''),
      h('td', { class: 'num' }, bytes(runner.memory)),
      h('td', { class: busy ? 'state-busy' : 'state-idle' }, stateText),
      h('td', {}, keepAliveText(runner.keep_alive)),
      h('td', { class: 'num', 'data-expires': expiresAt(runner) }, ''),
      h('td', { class: 'num' }, `${runner.context_size} × ${runner.sequences}`),
      h('td', { class: 'actions' },
        h('button', {
          type: 'button', class: 'small', 'aria-label': `Unload ${runner.model}`,
          onclick: (event) => unload({ models: [runner.model_id] }, event.currentTarget),
        }, 'Unload')));
  });
  $('#loaded-table tbody').replaceChildren(...rows);
  $('#loaded-table').hidden = rows.length === 0;
  $('#loaded-empty').hidden = rows.length > 0;
  $('#unload-all').hidden = rows.length === 0;
  tick();
  renderMemory();
}

function keepAliveText(value) {
  return value === '-1' ? 'Never unloads' : value;
}

/** When an idle model unloads: its last use plus its keep-alive (the server's own rule); '' while in use or pinned. */
function expiresAt(runner) {
  const keepAlive = parseGoDuration(runner.keep_alive);
  if (runner.in_use || runner.loading || keepAlive === Infinity) {
    return '';
  }
  return String(Date.parse(runner.last_used) + keepAlive * 1000);
}

function tick() {
  for (const cell of document.querySelectorAll('#loaded-table td[data-expires]')) {
    const expires = Number(cell.dataset.expires);
    cell.textContent = !cell.dataset.expires ? '—' : duration((expires - Date.now()) / 1000);
  }
}

function renderMemory() {
  const used = state.loaded.reduce((sum, runner) => sum + runner.memory, 0);
  const budget = state.memoryBudget;
  const bar = $('#memory-bar');
  const total = budget && budget > used ? budget : Math.max(used, 1);
  bar.replaceChildren(...state.loaded.map((runner) => {
    const segment = h('span', { class: seriesClass(runner.model), title: `${runner.model}: ${bytes(runner.memory)}` });
    segment.style.width = `${(runner.memory / total) * 100}%`;
    return segment;
  }));
  bar.setAttribute('aria-valuemax', String(total));
  bar.setAttribute('aria-valuenow', String(used));
  bar.setAttribute('aria-valuetext', budget ? `${bytes(used)} of ${bytes(budget)}` : bytes(used));
  $('#memory-text').textContent = budget
    ? `Memory: ${bytes(used)} used by loaded models, of this node's ${bytes(budget)} budget (${Math.round((used / budget) * 100)}%)`
    : `Memory: ${bytes(used)} used by loaded models`;
  $('#memory-legend').replaceChildren(...state.loaded.map((runner) =>
    h('li', {}, h('span', { class: `swatch ${seriesClass(runner.model)}` }), `${runner.model} ${bytes(runner.memory)}`)));
}

async function unload(body, button) {
  button.disabled = true;
  try {
    await call('engines/unload', { json: body });
    showError($('#loaded-error'), null);
  } catch (error) {
    showError($('#loaded-error'), error);
  } finally {
    button.disabled = false;
    await refreshLoaded().catch((error) => showError($('#loaded-error'), error));
  }
}
