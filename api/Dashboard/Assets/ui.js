// Small helpers shared by the views: building elements, formatting numbers, showing errors.

/** h('td', {class: 'num'}, 'text', child…): an element; null and false children are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/**
 * Shows an error in the element meant for it (role=alert), or hides it when there is none. A
 * refusal for want of the API key is not shown there: the key prompt says it once, at the top.
 */
export function showError(element, error) {
  if (error && error.status === 401) {
    error = null;
  }
  const message = !error ? '' : typeof error === 'string' ? error : error.text || error.message || String(error);
  element.textContent = message;
  element.hidden = message.length === 0;
}

export function bytes(value) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '—';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let unit = 0;
  let amount = value;
  while (amount >= 1000 && unit < units.length - 1) {
    amount /= 1000;
    unit++;
  }
  return `${amount.toFixed(unit === 0 || amount >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function number(value, digits = 1) {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

export function milliseconds(value) {
  if (!value) {
    return '—';
  }
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

/** "4m 10s", "1h 2m", "12s". */
export function duration(seconds) {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) {
    return `${hours}h ${minutes}m`;
  }
  return minutes > 0 ? `${minutes}m ${rest}s` : `${rest}s`;
}

/** Go-style durations as the server writes keep_alive ("5m0s", "1h0m0s", "0.5s"), in seconds; -1 is never. */
export function parseGoDuration(text) {
  if (text === '-1' || text === undefined || text === null) {
    return Infinity;
  }
  let seconds = 0;
  for (const [, amount, unit] of String(text).matchAll(/([0-9.]+)(h|ms|m|s)/g)) {
    seconds += Number(amount) * ({ h: 3600, m: 60, s: 1, ms: 0.001 })[unit];
  }
  return seconds;
}

export function time(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateOf(unixSeconds) {
  return unixSeconds > 0 ? new Date(unixSeconds * 1000).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' }) : '—';
}

/** A stable colour class (s1…s6) per series name, in order of first appearance. */
const seriesClasses = new Map();
export function seriesClass(name) {
  if (!seriesClasses.has(name)) {
    seriesClasses.set(name, `s${(seriesClasses.size % 6) + 1}`);
  }
  return seriesClasses.get(name);
}

/** A model's display name: its tag, or its short id. */
export function shortId(id) {
  return id ? id.replace(/^sha256:/, '').slice(0, 12) : '';
}

/** Pretty-prints JSON text; anything else comes back as it was. */
export function pretty(text) {
  if (!text) {
    return '';
  }
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Asks a yes/no question in the confirmation dialog; resolves true when confirmed. */
export function confirmDialog({ title, text, ok = 'Delete', force = false, action }) {
  const dialog = $('#confirm-dialog');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = ok;
  $('#confirm-force-label').hidden = !force;
  $('#confirm-force').checked = false;
  showError($('#confirm-error'), null);
  return new Promise((resolve) => {
    const form = $('#confirm-form');
    const cancel = $('#confirm-cancel');
    const done = (value) => {
      form.removeEventListener('submit', submit);
      cancel.removeEventListener('click', dismiss);
      dialog.removeEventListener('cancel', dismiss);
      dialog.close();
      resolve(value);
    };
    const submit = async (event) => {
      event.preventDefault();
      try {
        $('#confirm-ok').disabled = true;
        await action({ force: $('#confirm-force').checked });
        done(true);
      } catch (error) {
        // The dialog stays open and says why, in the server's words.
        showError($('#confirm-error'), error);
      } finally {
        $('#confirm-ok').disabled = false;
      }
    };
    const dismiss = (event) => {
      event.preventDefault();
      done(false);
    };
    form.addEventListener('submit', submit);
    cancel.addEventListener('click', dismiss);
    dialog.addEventListener('cancel', dismiss);
    dialog.showModal();
    cancel.focus();
  });
}
