import { ApiError, json, request } from './api.js';
import { playResponse } from './audio.js';
import { $, el, ms, stats, usd } from './dom.js';

let ready = false;

/** The form's settings, as the speech endpoint takes them. */
function settings(overrides = {}) {
  const form = $('#speak-form');
  const body = {
    model: form.model.value,
    voice: form.voice.value.trim(),
    input: form.input.value,
    response_format: form.format.value,
    speed: Number(form.speed.value),
    ...overrides,
  };
  const instructions = form.instructions.value.trim();
  if (!$('#speak-instructions-field').hidden && instructions !== '') body.instructions = instructions;
  return body;
}

/** One synthesis into `audio`, timed from the request to the first and to the last byte. */
async function synthesize(body, audio, autoplay) {
  const started = performance.now();
  const response = await request('/v1/audio/speech', { method: 'POST', body });
  const { blob, firstByteAt } = await playResponse(response, body.response_format, audio, { autoplay });
  const ended = performance.now();
  return {
    blob,
    firstByteMs: firstByteAt === undefined ? null : firstByteAt - started,
    totalMs: ended - started,
    cost: response.headers.get('x-tts-cost-usd'),
    deployment: response.headers.get('x-tts-deployment'),
    provider: response.headers.get('x-tts-provider'),
    warnings: response.headers.get('x-tts-warnings'),
  };
}

function describe(result) {
  return [
    ['First byte', ms(result.firstByteMs)],
    ['Total', ms(result.totalMs)],
    ['Cost', result.cost === null ? '—' : usd(Number(result.cost))],
    ['Deployment', `${result.deployment ?? '—'}${result.provider ? ` (${result.provider})` : ''}`],
    ...(result.warnings ? [['Warnings', result.warnings]] : []),
  ];
}

async function showCapabilities(context) {
  const model = $('#speak-model').value;
  if (model === '') return;
  let capabilities = context.capabilities.get(model);
  if (capabilities === undefined) {
    capabilities = await json(`/v1/models/${encodeURIComponent(model)}/capabilities`);
    context.capabilities.set(model, capabilities);
  }
  $('#speak-instructions-field').hidden = !capabilities.instructions;
  $('#voice-names').replaceChildren(...capabilities.voices.map((voice) => el('option', { value: voice })));
}

function addLane(context, model, voice) {
  const lanes = $('#compare-lanes');
  const number = lanes.children.length + 1;
  const lane = el('li', { class: 'lane' },
    el('label', { for: `lane-model-${number}` }, `Model ${number}`),
    el('select', { id: `lane-model-${number}`, name: 'model' }, context.models.map((name) => new Option(name, name, false, name === model))),
    el('label', { for: `lane-voice-${number}` }, `Voice ${number}`),
    el('input', { id: `lane-voice-${number}`, name: 'voice', list: 'voice-names', value: voice, spellcheck: 'false' }),
    el('button', { type: 'button', class: 'quiet', 'aria-label': `Remove voice ${number}`, onclick: () => lane.remove() }, 'Remove'),
  );
  lanes.append(lane);
}

export function setUpPlayground(context) {
  if (ready) return;
  ready = true;
  const form = $('#speak-form');
  const audio = $('#speak-audio');
  const download = $('#speak-download');
  form.speed.addEventListener('input', () => {
    $('#speak-speed-value').textContent = Number(form.speed.value).toFixed(2);
  });
  form.model.addEventListener('change', () => showCapabilities(context).catch(() => undefined));
  showCapabilities(context).catch(() => undefined);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('#speak-error').textContent = '';
    const button = $('#speak-play');
    button.disabled = true;
    $('#speak-result').hidden = false;
    stats($('#speak-stats'), [['Status', 'Synthesizing…']]);
    try {
      const body = settings();
      const result = await synthesize(body, audio, true);
      stats($('#speak-stats'), describe(result));
      if (download.href) URL.revokeObjectURL(download.href);
      download.href = URL.createObjectURL(result.blob);
      download.download = `speech.${body.response_format}`;
      download.hidden = false;
    } catch (error) {
      $('#speak-result').hidden = true;
      $('#speak-error').textContent = error instanceof ApiError ? `${error.status}: ${error.message}` : error.message;
    } finally {
      button.disabled = false;
    }
  });

  const [first, second] = context.models;
  addLane(context, first, 'alloy');
  addLane(context, second ?? first, 'nova');
  $('#compare-add').addEventListener('click', () => addLane(context, context.models[0], 'echo'));
  $('#compare-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const results = $('#compare-results');
    const lanes = [...$('#compare-lanes').children].map((lane) => ({ model: lane.querySelector('select').value, voice: lane.querySelector('input').value.trim() }));
    const cards = lanes.map(({ model, voice }) => {
      const audio = el('audio', { controls: true, preload: 'auto' });
      const dl = el('dl', { class: 'stats' });
      stats(dl, [['Status', 'Synthesizing…']]);
      const card = el('article', { class: 'card result', 'aria-label': `${model}, ${voice}` }, el('h3', {}, `${model} · ${voice}`), audio, dl);
      return { card, audio, dl, body: settings({ model, voice }) };
    });
    results.replaceChildren(...cards.map(({ card }) => card));
    $('#compare-run').disabled = true;
    // All at once, so each card's timings are those of one real concurrent request.
    await Promise.all(cards.map(async ({ card, audio, dl, body }) => {
      try {
        const result = await synthesize(body, audio, false);
        stats(dl, describe(result));
        card.append(el('a', { class: 'button quiet', href: URL.createObjectURL(result.blob), download: `${body.model}-${body.voice}.${body.response_format}` }, 'Download'));
        card.dataset.done = 'true';
      } catch (error) {
        stats(dl, [['Error', error instanceof ApiError ? `${error.status}: ${error.message}` : error.message]]);
        card.dataset.done = 'error';
      }
    }));
    $('#compare-run').disabled = false;
  });
}
