import { ApiError, json, request } from './api.js';
import { MEDIA_TYPES } from './audio.js';
import { $, announce, el, replaceRows, stats, usd, when } from './dom.js';

const JOBS = '/v1/audio/speech/jobs';
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
let ready = false;

/**
 * Calls `load` until it says to stop: quickly while things change, backing off (to 5 s) while
 * they do not. Returns the function that stops it (leaving the page).
 */
function poll(load) {
  let stopped = false;
  let delay = 400;
  let timer;
  const tick = async () => {
    let outcome = { changed: false, done: false };
    try {
      outcome = await load();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) outcome = { changed: false, done: true };
    }
    if (stopped || outcome.done) return;
    delay = outcome.changed ? 400 : Math.min(delay * 1.6, 5000);
    timer = setTimeout(tick, delay);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

const progressOf = (job) => {
  const counts = job.request_counts;
  return `${counts.completed + counts.failed + counts.cancelled} / ${counts.total}`;
};

export function showJobs() {
  let last = '';
  return poll(async () => {
    const list = await json(`${JOBS}?limit=50`);
    const fingerprint = JSON.stringify(list.data.map((job) => [job.id, job.status, job.request_counts]));
    const changed = fingerprint !== last;
    last = fingerprint;
    replaceRows($('#jobs-table tbody'), list.data.map((job) => el('tr', { 'data-job': job.id },
      el('td', {}, el('a', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.metadata?.name ?? job.id)),
      el('td', {}, el('span', { class: `status ${job.status}` }, job.status)),
      el('td', {}, progressOf(job)),
      el('td', {}, usd(job.usage.cost_usd)),
      el('td', {}, when(job.created_at)),
    )));
    $('#jobs-empty').hidden = list.data.length > 0;
    return { changed, done: false };
  });
}

function itemRow(job, item) {
  const cell = el('td');
  if (item.status === 'completed') {
    cell.append(el('button', {
      type: 'button', class: 'quiet', 'aria-label': `Play item ${item.index}`,
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          // Through the API (the bearer key), so it works for every storage driver.
          const response = await request(`${JOBS}/${encodeURIComponent(job.id)}/items/${item.index}/audio`);
          const blob = await response.blob();
          const audio = el('audio', { controls: true, src: URL.createObjectURL(blob), 'data-item': item.index });
          button.replaceWith(audio, el('a', { href: audio.src, download: `${job.id}-${item.custom_id ?? item.index}.${formatOf(item)}` }, 'Download'));
          audio.play().catch(() => undefined);
        } catch (error) {
          button.disabled = false;
          button.textContent = `Play (${error.message})`;
        }
      },
    }, 'Play'));
  } else if (item.error) cell.append(item.error.message);
  return el('tr', { 'data-item': item.index, 'data-status': item.status },
    el('td', {}, item.index),
    el('td', {}, item.custom_id ?? '—'),
    el('td', {}, el('span', { class: `status ${item.status}` }, item.status)),
    el('td', {}, item.characters),
    el('td', {}, usd(item.cost_usd)),
    el('td', {}, item.deployment ?? '—'),
    cell,
  );
}

function formatOf(item) {
  const type = item.audio?.content_type;
  return Object.entries(MEDIA_TYPES).find(([, mediaType]) => mediaType === type)?.[0] ?? 'audio';
}

export function showJob(id) {
  const path = `${JOBS}/${encodeURIComponent(id)}`;
  $('#job-title').textContent = `Job ${id}`;
  $('#job-action-error').textContent = '';
  replaceRows($('#job-items tbody'), []);
  $('#job-concatenated').hidden = true;
  $('#job-webhook-box').hidden = true;
  const rendered = new Map();
  let lastStatus = '';
  let concatenatedUrl = null;
  return poll(async () => {
    const job = await json(path);
    stats($('#job-summary'), [
      ['Status', job.status],
      ['Progress', progressOf(job)],
      ['Model', job.model],
      ['Characters', job.usage.characters],
      ['Cost', usd(job.usage.cost_usd)],
      ['Created', when(job.created_at)],
      ['Completed', when(job.completed_at)],
    ]);
    const counts = job.request_counts;
    $('#job-progress').max = counts.total;
    $('#job-progress').value = counts.completed + counts.failed + counts.cancelled;
    $('#job-cancel').disabled = TERMINAL.has(job.status);
    // Rows are replaced only when their item changed, so a player someone opened keeps playing.
    let changed = job.status !== lastStatus;
    if (changed && lastStatus !== '') announce(`Job ${job.status}`);
    lastStatus = job.status;
    const tbody = $('#job-items tbody');
    for (const item of job.items) {
      const fingerprint = `${item.status}:${item.attempts ?? 0}`;
      if (rendered.get(item.index)?.fingerprint === fingerprint) continue;
      changed = true;
      const row = itemRow(job, item);
      const previous = rendered.get(item.index)?.row;
      if (previous) previous.replaceWith(row);
      else tbody.append(row);
      rendered.set(item.index, { fingerprint, row });
    }
    if (job.concatenated_audio && job.concatenated_audio.url !== concatenatedUrl && concatenatedUrl === null) {
      concatenatedUrl = job.concatenated_audio.url;
      $('#job-concatenated-audio').src = concatenatedUrl;
      $('#job-concatenated').hidden = false;
    }
    const webhook = job.webhook;
    if (webhook) {
      $('#job-webhook-box').hidden = false;
      $('#job-webhook-summary').textContent = `${webhook.url}: ${webhook.status}, ${webhook.attempts} attempt(s)`;
      replaceRows($('#job-deliveries tbody'), webhook.deliveries.map((delivery) => el('tr', {},
        el('td', {}, delivery.attempt),
        el('td', {}, when(delivery.attempted_at)),
        el('td', {}, delivery.status ?? delivery.error ?? '—'),
        el('td', {}, delivery.outcome),
      )));
    }
    const settled = TERMINAL.has(job.status) && (webhook === null || webhook.status === 'delivered' || webhook.status === 'failed');
    return { changed, done: settled };
  });
}

async function itemsFromForm(form) {
  const items = form.text.value.split(/\n\s*\n/).map((text) => text.trim()).filter((text) => text !== '').map((input) => ({ input }));
  for (const file of form.files.files) {
    const input = (await file.text()).trim();
    if (input !== '') items.push({ input, custom_id: file.name });
  }
  return items;
}

export function setUpJobs() {
  if (ready) return;
  ready = true;
  $('#jobs-refresh').addEventListener('click', () => window.dispatchEvent(new HashChangeEvent('hashchange')));
  $('#job-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    $('#job-error').textContent = '';
    const items = await itemsFromForm(form);
    if (items.length === 0) {
      $('#job-error').textContent = 'Type some text or choose a file: every paragraph becomes one item.';
      return;
    }
    const body = { model: form.model.value, voice: form.voice.value.trim(), response_format: form.format.value, items, concatenate: form.concatenate.checked };
    if (form.webhook.value.trim() !== '') body.webhook = { url: form.webhook.value.trim() };
    try {
      const job = await json(JOBS, { method: 'POST', body });
      form.text.value = '';
      form.files.value = '';
      location.hash = `#/jobs/${encodeURIComponent(job.id)}`;
    } catch (error) {
      $('#job-error').textContent = error instanceof ApiError ? `${error.status}: ${error.message}` : error.message;
    }
  });
  const current = () => decodeURIComponent(location.hash.split('/')[2] ?? '');
  $('#job-cancel').addEventListener('click', async () => {
    try {
      await json(`${JOBS}/${encodeURIComponent(current())}/cancel`, { method: 'POST' });
      announce('Job cancelled');
    } catch (error) {
      $('#job-action-error').textContent = error.message;
    }
  });
  $('#job-delete').addEventListener('click', async () => {
    if (!window.confirm('Delete this job and its audio?')) return;
    try {
      await json(`${JOBS}/${encodeURIComponent(current())}`, { method: 'DELETE' });
      location.hash = '#/jobs';
    } catch (error) {
      $('#job-action-error').textContent = error.message;
    }
  });
}
