import { ApiError, json, session } from './api.js';
import { $ } from './dom.js';
import { showJob, showJobs, setUpJobs } from './jobs.js';
import { setUpKeys, showKeys } from './keys.js';
import { setUpPlayground } from './playground.js';
import { setUpSpend, showSpend } from './spend.js';

/** What the signed-in key may see: its models, and whether it holds the operator's (master) key. */
const context = { models: [], operator: false, capabilities: new Map() };
let leaveView = () => undefined;

async function signIn(key) {
  const models = await json('/v1/models', { key });
  // Only the master key reads the deployments; any other answer means a key without operator rights.
  let operator = false;
  try {
    await json('/health/deployments', { key });
    operator = true;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
  }
  session.save(key);
  context.models = models.data.map((model) => model.id);
  context.operator = operator;
  for (const node of document.querySelectorAll('[data-operator]')) node.hidden = !operator;
  $('#who').textContent = operator ? 'Master key' : 'Virtual key';
  $('#nav').hidden = false;
  $('#sign-out').hidden = false;
  $('#sign-in').hidden = true;
  for (const select of [$('#speak-model'), $('#job-model')]) {
    select.replaceChildren(...context.models.map((name) => new Option(name, name)));
  }
  setUpPlayground(context);
  setUpJobs(context);
  setUpSpend(context);
  if (operator) setUpKeys(context);
}

function route() {
  leaveView();
  leaveView = () => undefined;
  if (session.key() === null || $('#nav').hidden) return;
  const [, section = 'playground', id] = location.hash.split('/');
  const view = section === 'jobs' && id !== undefined ? 'job' : section;
  const known = ['playground', 'jobs', 'job', 'spend', ...(context.operator ? ['keys'] : [])];
  const target = known.includes(view) ? view : 'playground';
  for (const node of document.querySelectorAll('[data-view]')) node.hidden = node.id !== target;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.section === (target === 'job' ? 'jobs' : target)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (target === 'jobs') leaveView = showJobs();
  if (target === 'job') leaveView = showJob(decodeURIComponent(id));
  if (target === 'spend') leaveView = showSpend();
  if (target === 'keys') showKeys();
  $('#main').focus({ preventScroll: true });
}

$('#sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('#api-key').value.trim();
  $('#sign-in-error').textContent = '';
  try {
    await signIn(key);
    $('#api-key').value = '';
    route();
  } catch (error) {
    $('#sign-in-error').textContent = error instanceof ApiError && error.status === 401 ? 'That key was not accepted.' : error.message;
  }
});

$('#sign-out').addEventListener('click', () => {
  session.clear();
  location.hash = '';
  location.reload();
});

window.addEventListener('hashchange', route);

const saved = session.key();
if (saved !== null) {
  signIn(saved).then(route, () => {
    session.clear();
    $('#sign-in').hidden = false;
  });
}
