import { ApiError, json } from './api.js';
import { $, el, replaceRows, usd } from './dom.js';

let ready = false;

async function load() {
  const keys = (await json('/spend/keys')).filter((key) => !key.deleted && key.token !== 'master' && key.token !== 'anonymous');
  replaceRows($('#keys-table tbody'), keys.map((key) => el('tr', { 'data-key': key.token },
    el('td', {}, key.key_alias ?? '—'),
    el('td', {}, key.key_name),
    el('td', {}, key.models.length === 0 ? 'all' : key.models.join(', ')),
    el('td', {}, key.max_budget === null ? '—' : usd(key.max_budget)),
    el('td', {}, usd(key.spend)),
    el('td', {}, el('button', {
      type: 'button', class: 'danger', 'aria-label': `Revoke ${key.key_alias ?? key.key_name}`,
      onclick: async () => {
        if (!window.confirm(`Revoke ${key.key_alias ?? key.key_name}? Calls with it will be refused.`)) return;
        await json('/key/delete', { method: 'POST', body: { keys: [key.token] } });
        await load();
      },
    }, 'Revoke')),
  )));
}

export function showKeys() {
  load().catch((error) => {
    $('#key-error').textContent = error.message;
  });
}

export function setUpKeys(context) {
  if (ready) return;
  ready = true;
  $('#key-models').replaceChildren(...context.models.map((name, index) => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'models', value: name, id: `key-model-${index}` }), name)));
  $('#key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    $('#key-error').textContent = '';
    const body = { key_alias: form.alias.value.trim(), models: [...form.querySelectorAll('input[name=models]:checked')].map((input) => input.value) };
    if (form.budget.value !== '') body.max_budget = Number(form.budget.value);
    if (form.rpm.value !== '') body.rpm_limit = Number(form.rpm.value);
    try {
      const created = await json('/key/generate', { method: 'POST', body });
      const notice = $('#key-created');
      notice.replaceChildren('New key (shown once, copy it now): ', el('code', {}, created.key));
      notice.hidden = false;
      form.reset();
      await load();
    } catch (error) {
      $('#key-error').textContent = error instanceof ApiError ? `${error.status}: ${error.message}` : error.message;
    }
  });
}
