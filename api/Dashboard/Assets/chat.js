// The chat playground. Each chat is a conversation kept by the server (the Conversations API,
// continued through chat completions with X-Conversation-Id), so only the new message is sent
// and the conversation can be reopened later. The server has no "list every conversation"
// route: this browser remembers the ids it made, and any id can be opened by hand.

import { call, events, getJson } from './api.js';
import { state, changes } from './store.js';
import { $, h, milliseconds, number, showError } from './ui.js';

const listKey = 'modelrunner.conversations';
let current = null; // { id, title, model, items: number }
let streaming = null; // AbortController of the answer being streamed
let checked = false;

export function init() {
  changes.addEventListener('models', modelOptions);
  changes.addEventListener('authorized', () => { checked = false; if (!$('#view-chat').hidden) show(); });
  $('#chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  $('#chat-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  $('#chat-stop').addEventListener('click', () => streaming?.abort());
  $('#chat-new').addEventListener('click', () => {
    startNew();
    $('#chat-input').focus();
  });
  $('#chat-open').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = $('#chat-open-id').value.trim();
    if (id) {
      open(id).then(() => { $('#chat-open-id').value = ''; });
    }
  });
  startNew();
}

export function show() {
  modelOptions();
  // A model chosen with its Chat button in the models list is used once.
  state.selectedModel = null;
  renderList();
  if (!checked && state.authorized) {
    checked = true;
    verifyList();
  }
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(listKey)) || [];
  } catch {
    return [];
  }
}

function remember(list) {
  localStorage.setItem(listKey, JSON.stringify(list.slice(0, 100)));
  renderList();
}

/** Drops the remembered conversations the server no longer has (deleted elsewhere, or another server). */
async function verifyList() {
  const list = remembered();
  const kept = [];
  for (const entry of list) {
    try {
      await getJson(`v1/conversations/${encodeURIComponent(entry.id)}`);
      kept.push(entry);
    } catch (error) {
      if (error.status !== 404) {
        kept.push(entry);
      }
    }
  }
  remember(kept);
}

function modelOptions() {
  const select = $('#chat-model');
  const chosen = (state.current === 'chat' && state.selectedModel) || select.value;
  const names = state.models.flatMap((model) => model.tags || []);
  select.replaceChildren(...names.map((name) => h('option', { value: name }, name)));
  if (names.includes(chosen)) {
    select.value = chosen;
  }
}

function renderList() {
  const list = remembered();
  $('#conversation-list').replaceChildren(...list.map((entry) => h('li', {},
    h('button', {
      type: 'button', class: 'open small', 'aria-current': current?.id === entry.id ? 'true' : 'false',
      title: `${entry.title} (${entry.id})`, onclick: () => open(entry.id),
    }, entry.title || entry.id),
    h('button', { type: 'button', class: 'remove small', 'aria-label': `Delete conversation ${entry.title || entry.id}`, onclick: () => removeConversation(entry) }, '×'))));
}

function startNew() {
  current = null;
  $('#chat-log').replaceChildren(h('p', { class: 'empty' }, 'A new conversation: the server keeps it once you send the first message.'));
  $('#chat-conversation').textContent = 'New conversation';
  renderList();
}

async function open(id) {
  showError($('#conversations-error'), null);
  try {
    const conversation = await getJson(`v1/conversations/${encodeURIComponent(id)}`);
    const items = (await getJson(`v1/conversations/${encodeURIComponent(id)}/items?order=asc`)).data;
    const metadata = conversation.metadata || {};
    current = { id, title: metadata.title || id, model: metadata.model, items: items.length };
    if (metadata.model && [...$('#chat-model').options].some((option) => option.value === metadata.model)) {
      $('#chat-model').value = metadata.model;
    }
    const log = $('#chat-log');
    log.replaceChildren(...items.map((item) => bubble(item.role, item.content.map((part) => part.text).join('')).element));
    log.scrollTop = log.scrollHeight;
    $('#chat-conversation').textContent = `Conversation ${id}`;
    if (!remembered().some((entry) => entry.id === id)) {
      remember([{ id, title: current.title, model: metadata.model }, ...remembered()]);
    }
    renderList();
  } catch (error) {
    showError($('#conversations-error'), error);
  }
}

async function removeConversation(entry) {
  showError($('#conversations-error'), null);
  try {
    await call(`v1/conversations/${encodeURIComponent(entry.id)}`, { method: 'DELETE' });
  } catch (error) {
    if (error.status !== 404) {
      showError($('#conversations-error'), error);
      return;
    }
  }
  remember(remembered().filter((known) => known.id !== entry.id));
  if (current?.id === entry.id) {
    startNew();
  }
}

function bubble(role, text) {
  const content = document.createTextNode(text);
  const stats = h('span', { class: 'stats' });
  const element = h('div', { class: `message ${role}`, 'data-role': role },
    h('span', { class: 'role' }, role === 'user' ? 'You' : role === 'assistant' ? 'Assistant' : 'System'),
    h('span', { class: 'content' }, content),
    role === 'assistant' ? stats : null);
  return { element, content, stats };
}

/** Keeps the newest text in view unless the reader scrolled up to read something older. */
function follow(log, action) {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  action();
  if (atBottom) {
    log.scrollTop = log.scrollHeight;
  }
}

function number_(id) {
  const value = $(id).value.trim();
  return value === '' ? undefined : Number(value);
}

async function send() {
  const text = $('#chat-input').value;
  const model = $('#chat-model').value;
  if (!text.trim() || streaming) {
    return;
  }
  if (!model) {
    showError($('#conversations-error'), 'Pick a model first.');
    return;
  }
  const log = $('#chat-log');
  const controller = new AbortController();
  streaming = controller;
  $('#chat-send').disabled = true;
  $('#chat-stop').disabled = false;
  $('#chat-input').value = '';
  showError($('#conversations-error'), null);

  const messages = [];
  const system = $('#chat-system').value.trim();
  const first = !current || current.items === 0;
  if (first && system) {
    messages.push({ role: 'system', content: system });
  }
  messages.push({ role: 'user', content: text });

  if (!current) {
    log.replaceChildren();
  }
  follow(log, () => {
    for (const message of messages) {
      log.append(bubble(message.role, message.content).element);
    }
  });
  const answer = bubble('assistant', '');
  answer.element.setAttribute('aria-busy', 'true');
  answer.stats.textContent = 'Waiting for the first token…';
  follow(log, () => log.append(answer.element));
  $('#chat-status').textContent = 'The answer is streaming.';

  try {
    if (!current) {
      const title = text.trim().replace(/\s+/g, ' ').slice(0, 60);
      const created = await (await call('v1/conversations', { json: { metadata: { title, model, source: 'dashboard' } } })).json();
      current = { id: created.id, title, model, items: 0 };
      remember([{ id: created.id, title, model }, ...remembered()]);
      $('#chat-conversation').textContent = `Conversation ${created.id}`;
    }
    const body = {
      model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: number_('#chat-temperature'),
      top_p: number_('#chat-top-p'),
      top_k: number_('#chat-top-k'),
      max_tokens: number_('#chat-max-tokens'),
      seed: number_('#chat-seed'),
    };
    const started = performance.now();
    let firstToken = null;
    let usage = null;
    let timings = null;
    const response = await call('v1/chat/completions', { json: body, headers: { 'X-Conversation-Id': current.id }, signal: controller.signal });
    for await (const data of events(response)) {
      if (data === '[DONE]') {
        break;
      }
      const chunk = JSON.parse(data);
      if (chunk.error) {
        throw new Error(chunk.error.message || JSON.stringify(chunk.error));
      }
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        firstToken ??= performance.now() - started;
        follow(log, () => answer.content.appendData(delta));
        answer.stats.textContent = 'Streaming…';
      }
      timings = chunk.timings || timings;
      usage = chunk.usage || usage;
    }
    current.items += messages.length + 1;
    answer.stats.textContent = statsText(usage, timings, firstToken);
    answer.element.dataset.done = 'true';
    $('#chat-status').textContent = 'The answer is complete.';
  } catch (error) {
    answer.element.dataset.done = 'error';
    if (error.name === 'AbortError') {
      answer.stats.textContent = 'Stopped. A stopped answer is not kept in the conversation.';
    } else {
      answer.stats.textContent = '';
      follow(log, () => answer.element.append(h('p', { class: 'error', role: 'alert' }, error.text || error.message)));
    }
    $('#chat-status').textContent = 'The answer ended early.';
  } finally {
    answer.element.removeAttribute('aria-busy');
    streaming = null;
    $('#chat-send').disabled = false;
    $('#chat-stop').disabled = true;
    $('#chat-input').focus();
  }
}

function statsText(usage, timings, firstToken) {
  const parts = [];
  if (usage) {
    const cached = usage.prompt_tokens_details?.cached_tokens;
    parts.push(`${usage.prompt_tokens} prompt tokens${cached ? ` (${cached} cached)` : ''}`);
    parts.push(`${usage.completion_tokens} tokens`);
  }
  if (timings?.predicted_per_second) {
    parts.push(`${number(timings.predicted_per_second)} tokens/s`);
  }
  if (firstToken !== null) {
    parts.push(`first token after ${milliseconds(firstToken)}`);
  }
  return parts.join(' · ');
}
