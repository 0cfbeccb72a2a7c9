// The live request log: /engines/requests followed as server-sent events (read with fetch, so the
// API key can go in a header), newest first, each row expandable to its request and response.

import { call, events } from './api.js';
import { state, announce, changes } from './store.js';
import { $, h, milliseconds, number, pretty, showError, time } from './ui.js';

const kept = 1000;
const expanded = new Set();
let connection = null;
let retry = null;

state.requests = [];

export function init() {
  changes.addEventListener('requests', render);
  changes.addEventListener('models', modelOptions);
  $('#requests-model').addEventListener('change', render);
}

export function show() {
  render();
}

/** Follows the log; on a drop it reconnects, and the server's replay of recent records is merged by id. */
export function connect() {
  disconnect();
  const controller = new AbortController();
  connection = controller;
  (async () => {
    try {
      const response = await call('engines/requests', { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
      live(true);
      showError($('#requests-error'), null);
      for await (const data of events(response)) {
        add(JSON.parse(data));
      }
      throw new Error('the request log stream ended');
    } catch (error) {
      if (controller.signal.aborted || error.status === 401) {
        return;
      }
      live(false);
      showError($('#requests-error'), error);
      retry = setTimeout(connect, 3000);
    }
  })();
}

export function disconnect() {
  clearTimeout(retry);
  connection?.abort();
  connection = null;
}

function live(on) {
  const badge = $('#requests-live');
  badge.textContent = on ? 'Live' : 'Reconnecting…';
  badge.classList.toggle('live', on);
}

function add(record) {
  if (state.requests.some((known) => known.id === record.id)) {
    return;
  }
  state.requests.push(record);
  state.requests.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  if (state.requests.length > kept) {
    state.requests.splice(0, state.requests.length - kept);
  }
  announce('requests');
}

function modelOptions() {
  const select = $('#requests-model');
  const chosen = select.value;
  const names = new Set(state.requests.map((record) => record.model));
  for (const model of state.models) {
    for (const tag of model.tags || []) {
      names.add(tag);
    }
  }
  select.replaceChildren(h('option', { value: '' }, 'All models'), ...[...names].sort().map((name) => h('option', { value: name }, name)));
  select.value = names.has(chosen) ? chosen : '';
}

/** Request records name a model as the client did ("ai/x" or "ai/x:latest"): both match. */
function matches(record, model) {
  return !model || record.model === model || `${record.model}:latest` === model || record.model === `${model}:latest`;
}

function render() {
  if ($('#view-requests').hidden) {
    return;
  }
  modelOptions();
  const model = $('#requests-model').value;
  const rows = [];
  for (const record of [...state.requests].reverse()) {
    if (!matches(record, model)) {
      continue;
    }
    const open = expanded.has(record.id);
    const detailsId = `request-${record.id}`;
    const ok = record.status_code < 400;
    rows.push(h('tr', { 'data-request': record.id },
      h('td', { class: 'nowrap' }, time(new Date(record.timestamp))),
      h('td', {}, record.model),
      h('td', { class: 'mono' }, `${record.method} ${record.url}`),
      h('td', { class: ok ? 'ok' : 'error' }, String(record.status_code)),
      h('td', { class: 'num' }, `${record.tokens.prompt}${record.tokens.cached ? ` (${record.tokens.cached} cached)` : ''} / ${record.tokens.completion}`),
      h('td', { class: 'num' }, milliseconds(record.timings.time_to_first_token_ms)),
      h('td', { class: 'num' }, record.timings.tokens_per_second ? number(record.timings.tokens_per_second) : '—'),
      h('td', { class: 'actions' },
        h('button', {
          type: 'button', class: 'small quiet', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': detailsId,
          'aria-label': `Details of the ${record.method} ${record.url} request at ${time(new Date(record.timestamp))}`,
          onclick: () => {
            if (expanded.has(record.id)) {
              expanded.delete(record.id);
            } else {
              expanded.add(record.id);
            }
            render();
            document.querySelector(`tr[data-request="${record.id}"] button`)?.focus();
          },
        }, open ? 'Hide' : 'Details'))));
    if (open) {
      rows.push(h('tr', { class: 'details', id: detailsId },
        h('td', { colspan: 8 },
          record.error ? h('p', { class: 'error' }, record.error) : null,
          h('div', { class: 'bodies' },
            h('div', {}, h('h4', {}, 'Request'), h('pre', { class: 'request-body' }, pretty(record.request))),
            h('div', {}, h('h4', {}, 'Response'), h('pre', { class: 'response-body' }, record.response || '(empty)'))))));
    }
  }
  $('#requests-table tbody').replaceChildren(...rows);
  $('#requests-empty').hidden = rows.length > 0;
}
