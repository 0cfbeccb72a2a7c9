// Models in the store: the list, pull with a progress bar per layer, tag, push and delete.

import { call, lines, modelPath } from './api.js';
import { state, changes, refreshModels, refreshLoaded } from './store.js';
import { $, h, bytes, dateOf, shortId, showError, confirmDialog } from './ui.js';

export function init() {
  $('#pull-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const reference = $('#pull-reference').value.trim();
    if (reference) {
      $('#pull-reference').value = '';
      transfer('Pull', reference, () => call('models/create', { json: { from: reference } }));
    }
  });
  changes.addEventListener('models', render);
  $('#tag-cancel').addEventListener('click', () => $('#tag-dialog').close());
  $('#tag-form').addEventListener('submit', tag);
}

export function show() {
  refreshModels().catch((error) => showError($('#models-error'), error));
}

/** One row per tag, like `docker model ls`. */
function render() {
  const body = $('#models-table tbody');
  const rows = [];
  for (const model of state.models) {
    const names = model.tags && model.tags.length > 0 ? model.tags : [shortId(model.id)];
    for (const name of names) {
      const config = model.config || {};
      rows.push(h('tr', { 'data-model': name },
        h('th', { scope: 'row' }, name),
        h('td', {}, config.parameters || '—'),
        h('td', {}, config.quantization || '—'),
        h('td', {}, config.architecture || '—'),
        h('td', {}, config.size || '—'),
        h('td', {}, dateOf(model.created)),
        h('td', { class: 'mono muted' }, shortId(model.id)),
        h('td', { class: 'actions' },
          h('button', { type: 'button', class: 'small quiet', 'aria-label': `Chat with ${name}`, onclick: () => open('chat', name) }, 'Chat'),
          h('button', { type: 'button', class: 'small quiet', 'aria-label': `Settings of ${name}`, onclick: () => open('settings', name) }, 'Settings'),
          h('button', { type: 'button', class: 'small quiet', 'aria-label': `Tag ${name}`, onclick: () => openTag(name) }, 'Tag'),
          h('button', { type: 'button', class: 'small quiet', 'aria-label': `Push ${name}`, onclick: () => transfer('Push', name, () => call(`models/${modelPath(name)}/push`, { method: 'POST' })) }, 'Push'),
          h('button', { type: 'button', class: 'small quiet', 'aria-label': `Delete ${name}`, onclick: () => remove(name) }, 'Delete'))));
    }
  }
  body.replaceChildren(...rows);
  $('#models-empty').hidden = rows.length > 0;
}

function open(view, model) {
  state.selectedModel = model;
  location.hash = `#${view}`;
}

/**
 * A pull or push as it streams DMR's JSON lines: the message, a bar per layer, and how it ended.
 * An error before the stream starts (an unknown model, a bad reference) is shown the same way.
 */
async function transfer(verb, reference, start) {
  const message = h('p', { class: 'transfer-message' }, 'Starting…');
  const layers = h('div', { class: 'layers' });
  const outcome = h('p', { class: 'error', role: 'alert', hidden: true });
  const dismiss = h('button', { type: 'button', class: 'small quiet', hidden: true, 'aria-label': `Dismiss ${verb.toLowerCase()} of ${reference}` }, 'Dismiss');
  const box = h('section', { class: 'transfer', 'aria-label': `${verb} ${reference}`, 'data-transfer': reference },
    h('header', {}, h('strong', {}, `${verb} ${reference}`), dismiss),
    h('div', { role: 'status' }, message),
    layers,
    outcome);
  dismiss.addEventListener('click', () => box.remove());
  $('#transfers').prepend(box);
  const bars = new Map();
  try {
    const response = await start();
    for await (const line of lines(response)) {
      if (!line.trim()) {
        continue;
      }
      const event = JSON.parse(line);
      if (event.type === 'error') {
        throw new Error(event.message);
      }
      if (event.type === 'success') {
        message.textContent = event.message;
        message.classList.add('ok');
        box.dataset.done = 'success';
        continue;
      }
      message.textContent = event.message || message.textContent;
      if (event.layer) {
        layer(layers, bars, event.layer);
      }
    }
    if (box.dataset.done !== 'success') {
      throw new Error('the transfer ended without saying it succeeded');
    }
  } catch (error) {
    box.dataset.done = 'error';
    message.textContent = `${verb} failed.`;
    showError(outcome, error);
  } finally {
    dismiss.hidden = false;
    refreshModels().catch((error) => showError($('#models-error'), error));
  }
}

function layer(container, bars, { id, size, current }) {
  let bar = bars.get(id);
  if (!bar) {
    const label = `Layer ${shortId(id)}`;
    const progress = h('progress', { max: Math.max(size, 1), value: 0, 'aria-label': label });
    const amount = h('span', { class: 'num muted' });
    container.append(h('div', { class: 'layer', 'data-layer': id }, h('span', { class: 'mono' }, shortId(id)), progress, amount));
    bar = { progress, amount };
    bars.set(id, bar);
  }
  bar.progress.max = Math.max(size, 1);
  bar.progress.value = Math.min(current, size);
  bar.amount.textContent = `${bytes(current)} / ${bytes(size)}`;
}

function openTag(name) {
  $('#tag-source').textContent = `New name for ${name}`;
  $('#tag-form').dataset.source = name;
  $('#tag-repo').value = '';
  $('#tag-tag').value = '';
  showError($('#tag-error'), null);
  $('#tag-dialog').showModal();
  $('#tag-repo').focus();
}

async function tag(event) {
  event.preventDefault();
  const source = $('#tag-form').dataset.source;
  const query = new URLSearchParams({ repo: $('#tag-repo').value.trim() });
  if ($('#tag-tag').value.trim()) {
    query.set('tag', $('#tag-tag').value.trim());
  }
  try {
    await call(`models/${modelPath(source)}/tag?${query}`, { method: 'POST' });
    $('#tag-dialog').close();
    await refreshModels();
  } catch (error) {
    showError($('#tag-error'), error);
  }
}

function remove(name) {
  return confirmDialog({
    title: `Delete ${name}?`,
    text: `This removes the tag ${name}; the model's files go with its last tag.`,
    ok: 'Delete',
    force: true,
    action: async ({ force }) => {
      await call(`models/${modelPath(name)}${force ? '?force=true' : ''}`, { method: 'DELETE' });
      await Promise.allSettled([refreshModels(), refreshLoaded()]);
    },
  });
}
