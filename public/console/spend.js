import { json } from './api.js';
import { $, el, ms, replaceRows, usd } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
let context;
let ready = false;

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

const DAY_MS = 86_400_000;
const CHART_DAYS = 14;

/** The last fortnight, days without spend included, so the bars sit on a steady calendar. */
function fortnight(rows) {
  const byDay = new Map(rows.map((row) => [row.group, row]));
  const today = Date.now();
  return Array.from({ length: CHART_DAYS }, (_, index) => {
    const day = new Date(today - (CHART_DAYS - 1 - index) * DAY_MS).toISOString().slice(0, 10);
    return byDay.get(day) ?? { group: day, spend: 0, requests: 0, characters: 0 };
  });
}

/** Bars of spend per day; each bar also carries its figure as text, for screen readers and small screens. */
function drawChart(rows) {
  const box = $('#spend-chart');
  if (rows.length === 0) {
    box.replaceChildren(el('p', { class: 'hint' }, 'No spend recorded yet.'));
    return;
  }
  const days = fortnight(rows);
  const width = 640;
  const height = 200;
  const top = Math.max(...days.map((day) => day.spend), 1e-9);
  const slot = width / days.length;
  const bar = Math.min(60, slot * 0.7);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 40}`, role: 'img', 'aria-labelledby': 'spend-chart-title', class: 'bars' },
    svg('title', { id: 'spend-chart-title' }, `Spend by day: ${rows.map((day) => `${day.group} ${usd(day.spend)}`).join(', ')}`),
    svg('line', { x1: 0, y1: height, x2: width, y2: height, class: 'baseline' }),
    ...days.flatMap((day, index) => {
      const barHeight = day.spend === 0 ? 0 : Math.max(2, (day.spend / top) * (height - 20));
      const x = index * slot + (slot - bar) / 2;
      return [
        svg('rect', { x, y: height - barHeight, width: bar, height: barHeight, class: 'bar' }, svg('title', {}, `${day.group}: ${usd(day.spend)}, ${day.requests} requests`)),
        ...(day.spend === 0 ? [] : [svg('text', { x: x + bar / 2, y: height - barHeight - 4, 'text-anchor': 'middle', class: 'figure' }, usd(day.spend))]),
        svg('text', { x: x + bar / 2, y: height + 18, 'text-anchor': 'middle', class: 'axis' }, day.group.slice(5)),
      ];
    }),
  );
  box.replaceChildren(chart);
}

function totalsRows(rows, label) {
  return rows.map((row) => el('tr', {}, el('td', {}, label(row.group)), el('td', {}, row.requests), el('td', {}, row.characters), el('td', {}, usd(row.spend))));
}

async function load() {
  const [days, models, keys, users, logs] = await Promise.all(['day', 'model', 'api_key', 'end_user'].map((group) => json(`/spend/report?group_by=${group}`)).concat(json('/spend/logs?limit=25')));
  drawChart(days.data);
  replaceRows($('#spend-model tbody'), totalsRows(models.data, (group) => group));
  // The master key can name every key; a virtual key sees only its own row.
  const names = new Map();
  if (context.operator) for (const key of await json('/spend/keys')) names.set(key.token, key.key_alias ?? key.key_name);
  replaceRows($('#spend-key tbody'), totalsRows(keys.data, (group) => names.get(group) ?? (group === 'master' ? 'master key' : group === 'anonymous' ? 'anonymous' : context.operator ? `${group.slice(0, 10)}…` : 'this key')));
  replaceRows($('#spend-end-user tbody'), totalsRows(users.data, (group) => group ?? '(none)'));
  replaceRows($('#spend-logs tbody'), logs.map((row) => el('tr', { 'data-request': row.request_id },
    el('td', {}, new Date(row.startTime).toLocaleString()),
    el('td', {}, row.model_group),
    el('td', {}, row.model_id ?? '—'),
    el('td', {}, row.metadata.source === 'job' ? `job item ${row.metadata.item_index}` : 'speech'),
    el('td', {}, row.characters),
    el('td', {}, usd(row.spend)),
    el('td', {}, row.metadata.outcome),
  )));
  if (context.operator) {
    const deployments = await json('/health/deployments');
    replaceRows($('#deployments tbody'), deployments.data.map((deployment) => el('tr', { 'data-deployment': deployment.id },
      el('td', {}, deployment.id),
      el('td', {}, deployment.model_name),
      el('td', {}, deployment.provider),
      el('td', {}, deployment.cooldown === null ? el('span', { class: 'status completed' }, 'healthy') : el('span', { class: 'status failed' }, `cooling down (${deployment.cooldown.reason}, ${deployment.cooldown.seconds_left} s)`)),
      el('td', {}, deployment.in_flight),
      el('td', {}, ms(deployment.latency_ms)),
    )));
  }
}

export function showSpend() {
  let stopped = false;
  let timer;
  const tick = async () => {
    await load().catch(() => undefined);
    if (!stopped) timer = setTimeout(tick, 5000);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export function setUpSpend(signedIn) {
  context = signedIn;
  if (ready) return;
  ready = true;
  $('#spend-refresh').addEventListener('click', () => load().catch(() => undefined));
}
