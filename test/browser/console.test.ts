import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../../src/redis/redis-client.js';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DOCUMENT } from '../../src/config/default-config.js';
import { connectRedis } from '../../src/redis/connection.js';
import type { JobWorkers } from '../../src/worker/start-workers.js';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';
import { launchConsoleBrowser, type ConsoleBrowser } from './console-browser.js';

/**
 * The web console in a real browser against the real gateway: the local engine, Redis, a job
 * worker and the filesystem store. One browser tab for the whole file; each test keeps a screenshot.
 */
const MASTER = 'sk-master-console-browser';

/** The page's side, as far as these tests read it: the project compiles without the DOM library. */
interface PageElement {
  readonly textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
  readonly hidden: boolean;
  value: string;
  open: boolean;
  readonly disabled: boolean;
  readonly download: string;
  readonly duration: number;
  readonly scrollWidth: number;
  readonly error: { readonly code: number } | null;
  readonly options: ArrayLike<PageElement>;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  closest(selector: string): PageElement | null;
  addEventListener(type: string, listener: () => void, options?: { readonly once: boolean }): void;
  dispatchEvent(event: Event): boolean;
}
declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { readonly length: number };
declare const window: Record<string, unknown>;

let redis: TestRedis;
let running: RunningGateway;
let workers: JobWorkers;
let blocking: RedisClient;
let audioDirectory: string;
let receiver: Server;
let receiverUrl: string;
let browser: ConsoleBrowser;
let page: Page;

const api = async (path: string, key: string, body?: unknown): Promise<Response> =>
  fetch(`${running.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function signIn(key: string): Promise<void> {
  await page.goto(`${running.baseUrl}/ui/`);
  await page.waitForSelector('#api-key', { visible: true });
  await page.type('#api-key', key);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
}

/** Sets a field's value as typing would, through the input event. */
async function fill(selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (element, text) => {
      const field = element as PageElement;
      field.value = text;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

beforeAll(async () => {
  audioDirectory = await mkdtemp(join(tmpdir(), 'tts-gateway-console-'));
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/tts`;
  redis = await startTestRedis();
  running = await startGateway({
    clock: movableClock(),
    redis: redis.url,
    masterKey: MASTER,
    config: {
      // The default models, priced as OpenAI prices theirs, so the spend pages have figures to show.
      model_list: DEFAULT_CONFIG_DOCUMENT.model_list.map((entry, index) => ({
        ...entry,
        litellm_params: { ...entry.litellm_params, input_cost_per_character: [0.000015, 0.00003, 0.0000125][index] },
      })),
      storage_settings: { path: audioDirectory },
      job_settings: { redis_prefix: uniquePrefix('console'), concurrency: 1 },
      webhook_settings: { allow_private_networks: true },
    },
  });
  blocking = connectRedis(redis.url, { blocking: true });
  const jobs = running.gateway.jobs;
  if (jobs === undefined) throw new Error('the gateway was composed without jobs');
  workers = jobs.startWorkers(blocking);
  browser = await launchConsoleBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await running?.gateway.jobs?.close();
  blocking?.disconnect();
  await running?.close();
  await redis?.stop();
  receiver?.close();
  await rm(audioDirectory, { recursive: true, force: true });
});

describe('the web console', () => {
  it('signs in with the master key, which keeps it in session storage and out of every URL', async () => {
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    await signIn(MASTER);
    expect(await page.$eval('#who', (node) => node.textContent)).toBe('Master key');
    expect(await page.$eval('#nav a[data-section=keys]', (node) => (node as PageElement).hidden)).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('tts-gateway.key'))).toBe(MASTER);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(urls.some((url) => url.includes(MASTER))).toBe(false);
    expect(await page.$eval('#speak-model', (select) => Array.from((select as PageElement).options).map((option) => option.value))).toEqual([
      'tts-1',
      'tts-1-hd',
      'gpt-4o-mini-tts',
    ]);
    await browser.screenshot('sign-in');
  });

  it('plays a voice as it streams, to the end, with its timings, cost and deployment', async () => {
    await page.goto(`${running.baseUrl}/ui/#/playground`);
    await page.waitForSelector('#playground:not([hidden])');
    // The local engine takes no instructions, so the field is not offered.
    await page.waitForSelector('#speak-instructions-field', { hidden: true });
    await fill('#speak-text', 'The quick brown fox jumps over the lazy dog.');
    const ended = page.$eval(
      '#speak-audio',
      (audio) =>
        new Promise<number>((resolve, reject) => {
          const element = audio as PageElement;
          element.addEventListener('ended', () => resolve(element.duration), { once: true });
          element.addEventListener('error', () => reject(new Error(`audio error ${element.error?.code ?? ''}`)), { once: true });
          setTimeout(() => reject(new Error('the audio did not reach its end')), 15_000);
        }),
    );
    await page.click('#speak-play');
    const duration = await ended;
    // mp3 played through MediaSource, while the bytes arrived.
    expect(await page.$eval('#speak-audio', (audio) => (audio as PageElement).dataset['playback'])).toBe('stream');
    // Nine words of espeak at its default rate: about three seconds.
    expect(duration).toBeGreaterThan(1.5);
    expect(duration).toBeLessThan(6);
    const figures = await page.$$eval('#speak-stats dt, #speak-stats dd', (nodes) => nodes.map((node) => node.textContent ?? ''));
    expect(figures[figures.indexOf('Deployment') + 1]).toBe('local-tts-1 (espeak)');
    expect(figures[figures.indexOf('First byte') + 1]).toMatch(/^\d+ ms$/);
    expect(figures[figures.indexOf('Cost') + 1]).toMatch(/^\$\d/);
    expect(await page.$eval('#speak-download', (link) => (link as PageElement).download)).toBe('speech.mp3');
    await browser.screenshot('playground');
  });

  it('plays raw pcm too, from the finished download in a WAV wrapper', async () => {
    await page.select('#speak-format', 'pcm');
    await fill('#speak-text', 'Raw samples.');
    const ended = page.$eval(
      '#speak-audio',
      (audio) =>
        new Promise<number>((resolve, reject) => {
          const element = audio as PageElement;
          element.addEventListener('ended', () => resolve(element.duration), { once: true });
          setTimeout(() => reject(new Error('the audio did not reach its end')), 15_000);
        }),
    );
    await page.click('#speak-play');
    const duration = await ended;
    expect(duration).toBeGreaterThan(0.5);
    expect(duration).toBeLessThan(3);
    expect(await page.$eval('#speak-audio', (audio) => (audio as PageElement).dataset['playback'])).toBe('file');
    expect(await page.$eval('#speak-download', (link) => (link as PageElement).download)).toBe('speech.pcm');
    await page.select('#speak-format', 'mp3');
    await fill('#speak-text', 'The quick brown fox jumps over the lazy dog.');
  });

  it('compares two voices side by side, each with its own figures and audio', async () => {
    await page.select('#compare-lanes li:nth-child(2) select', 'tts-1-hd');
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelectorAll('#compare-results [data-done]').length === 2, { timeout: 15_000 });
    const cards = await page.$$eval('#compare-results article', (articles) =>
      articles.map((article) => ({
        done: (article as PageElement).dataset['done'],
        title: (article as PageElement).querySelector('h3')?.textContent,
        figures: Array.from((article as PageElement).querySelectorAll('dd')).map((node) => node.textContent),
      })),
    );
    expect(cards.map((card) => [card.done, card.title])).toEqual([
      ['true', 'tts-1 · alloy'],
      ['true', 'tts-1-hd · nova'],
    ]);
    expect(cards.map((card) => card.figures[3])).toEqual(['local-tts-1 (espeak)', 'local-tts-1-hd (espeak)']);
    const durations = await page.$$eval('#compare-results audio', (players) =>
      Promise.all(
        players.map(
          (player) =>
            new Promise<number>((resolve) => {
              const audio = player as PageElement;
              if (Number.isFinite(audio.duration) && audio.duration > 0) resolve(audio.duration);
              else audio.addEventListener('loadedmetadata', () => resolve(audio.duration), { once: true });
            }),
        ),
      ),
    );
    for (const duration of durations) expect(duration).toBeGreaterThan(1);
    await browser.screenshot('compare');
  });

  it('submits a three-item job and watches every item turn completed without reloading', async () => {
    await page.goto(`${running.baseUrl}/ui/#/jobs`);
    await page.waitForSelector('#jobs:not([hidden])');
    await page.evaluate(() => {
      window['notReloaded'] = true;
    });
    await page.click('#job-form-box summary');
    await fill('#job-text', 'Chapter one. It was a bright cold day.\n\nChapter two. The clocks were striking.\n\nChapter three. Nobody was there.');
    await fill('#job-webhook', receiverUrl);
    await page.click('#job-concatenate');
    await page.click('#job-submit');
    await page.waitForSelector('#job:not([hidden])');
    await page.waitForFunction(() => document.querySelectorAll('#job-items tbody tr').length === 3);
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('#job-items tbody tr')).every((row) => (row as PageElement).dataset['status'] === 'completed'),
      { timeout: 20_000 },
    );
    expect(await page.evaluate(() => window['notReloaded'])).toBe(true);
    await page.waitForFunction(() => document.querySelector('#job-summary')?.textContent?.includes('completed'));
    // An item plays through the API with the bearer key; the joined file and the webhook's attempts show up too.
    await page.click('#job-items tbody tr[data-item="1"] button');
    await page.waitForSelector('#job-items audio[data-item="1"]');
    const itemDuration = await page.$eval(
      '#job-items audio[data-item="1"]',
      (player) =>
        new Promise<number>((resolve) => {
          const audio = player as PageElement;
          if (Number.isFinite(audio.duration) && audio.duration > 0) resolve(audio.duration);
          else audio.addEventListener('loadedmetadata', () => resolve(audio.duration), { once: true });
        }),
    );
    expect(itemDuration).toBeGreaterThan(1);
    await page.waitForSelector('#job-concatenated:not([hidden])');
    await page.waitForFunction(() => document.querySelector('#job-deliveries tbody')?.textContent?.includes('delivered'), { timeout: 15_000 });
    expect(
      await page.$eval('#job-deliveries tbody tr', (row) => Array.from((row as PageElement).querySelectorAll('td')).map((cell) => cell.textContent)[2]),
    ).toBe('204');
    await browser.screenshot('job');
  });

  it('cancels another job from its page', async () => {
    const paragraphs = Array.from({ length: 30 }, (_, index) => `Paragraph ${index + 1}. ${'A sentence that takes the engine a moment to say. '.repeat(4)}`);
    await page.goto(`${running.baseUrl}/ui/#/jobs`);
    await page.waitForSelector('#jobs:not([hidden])');
    await page.$eval('#job-form-box', (box) => {
      (box as PageElement).open = true;
    });
    await fill('#job-text', paragraphs.join('\n\n'));
    await fill('#job-webhook', '');
    await page.click('#job-submit');
    await page.waitForFunction(() => document.querySelectorAll('#job-items tbody tr').length === 30);
    await page.click('#job-cancel');
    await page.waitForFunction(() => document.querySelector('#job-summary')?.textContent?.includes('cancelled'), { timeout: 15_000 });
    const statuses = await page.$$eval('#job-items tbody tr', (rows) => rows.map((row) => (row as PageElement).dataset['status']));
    expect(statuses.filter((status) => status === 'cancelled').length).toBeGreaterThan(0);
    expect(await page.$eval('#job-cancel', (button) => (button as PageElement).disabled)).toBe(true);
    await browser.screenshot('job-cancelled');
  });

  it('submits text files as items, then deletes that job', async () => {
    const files = await mkdtemp(join(tmpdir(), 'tts-gateway-console-files-'));
    try {
      await writeFile(join(files, 'prologue.txt'), 'In the beginning there was a short file.');
      await writeFile(join(files, 'epilogue.txt'), 'And at the end another one.');
      await page.goto(`${running.baseUrl}/ui/#/jobs`);
      await page.waitForSelector('#jobs:not([hidden])');
      await page.$eval('#job-form-box', (box) => {
        (box as PageElement).open = true;
      });
      await fill('#job-text', '');
      const input = await page.$('#job-files');
      await input?.uploadFile(join(files, 'prologue.txt'), join(files, 'epilogue.txt'));
      await page.click('#job-submit');
      await page.waitForFunction(() => document.querySelectorAll('#job-items tbody tr').length === 2);
      const ids = await page.$$eval('#job-items tbody tr', (rows) =>
        rows.map((row) => Array.from((row as PageElement).querySelectorAll('td'))[1]?.textContent),
      );
      expect(ids).toEqual(['prologue.txt', 'epilogue.txt']);
      const id = decodeURIComponent(page.url().split('#/jobs/')[1] ?? '');
      await page.waitForFunction(() => document.querySelector('#job-summary')?.textContent?.includes('completed'), { timeout: 15_000 });
      page.once('dialog', (dialog) => void dialog.accept());
      await page.click('#job-delete');
      await page.waitForSelector('#jobs:not([hidden])');
      await page.waitForFunction(() => document.querySelectorAll('#jobs-table tbody tr').length > 0);
      expect(await page.$(`#jobs-table tr[data-job="${id}"]`)).toBeNull();
      expect((await api(`/v1/audio/speech/jobs/${id}`, MASTER)).status).toBe(404);
      await browser.screenshot('job-deleted');
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  });

  it('creates a key for the master, shows it once, and revokes it', async () => {
    await page.goto(`${running.baseUrl}/ui/#/keys`);
    await page.waitForSelector('#keys:not([hidden])');
    await page.type('#key-alias', 'temporary');
    await page.click('#key-models input[value="tts-1-hd"]');
    await page.type('#key-budget', '2.5');
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#key-created:not([hidden]) code');
    const key = await page.$eval('#key-created code', (node) => node.textContent ?? '');
    expect(key).toMatch(/^sk-/);
    expect((await api('/v1/models', key)).status).toBe(200);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#keys-table tbody tr')).some((row) => row.textContent?.includes('temporary')));
    const row = await page.$$eval('#keys-table tbody tr', (rows) =>
      rows.map((node) => Array.from((node as PageElement).querySelectorAll('td')).map((cell) => cell.textContent)).find((cells) => cells[0] === 'temporary'),
    );
    expect(row?.slice(0, 4)).toEqual(['temporary', `sk-...${key.slice(-4)}`, 'tts-1-hd', '$2.5000']);
    await browser.screenshot('keys');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#keys-table button[aria-label="Revoke temporary"]');
    await page.waitForFunction(() => !Array.from(document.querySelectorAll('#keys-table tbody tr')).some((row) => row.textContent?.includes('temporary')));
    expect((await api('/v1/models', key)).status).toBe(401);
  });

  it('shows a new spend row as it is recorded, the spend chart and the deployments', async () => {
    await page.goto(`${running.baseUrl}/ui/#/spend`);
    await page.waitForSelector('#spend:not([hidden])');
    await page.waitForSelector('#spend-chart svg rect');
    await page.waitForSelector('#deployments tbody tr[data-deployment="local-tts-1"]');
    const response = await api('/v1/audio/speech', MASTER, { model: 'gpt-4o-mini-tts', voice: 'sage', input: 'One more for the books.', user: 'reader-7' });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const requestId = response.headers.get('x-request-id') ?? '';
    await page.waitForSelector(`#spend-logs tr[data-request="${requestId}"]`, { timeout: 15_000 });
    const row = await page.$eval(`#spend-logs tr[data-request="${requestId}"]`, (node) =>
      Array.from((node as PageElement).querySelectorAll('td')).map((cell) => cell.textContent),
    );
    expect(row.slice(1, 6)).toEqual([
      'gpt-4o-mini-tts',
      'local-gpt-4o-mini-tts',
      'speech',
      String('One more for the books.'.length),
      `$${('One more for the books.'.length * 0.0000125).toFixed(6)}`,
    ]);
    // Today's bar carries the day's whole spend.
    const today = new Date().toISOString().slice(0, 10);
    const report = (await (await api('/spend/report?group_by=day', MASTER)).json()) as { data: Array<{ group: string; spend: number }> };
    const todays = report.data.find((day) => day.group === today)?.spend ?? 0;
    expect(todays).toBeGreaterThan(0);
    expect(await page.$eval('#spend-chart svg title', (node) => node.textContent)).toContain(`${today} $`);
    expect(await page.$eval('#spend-end-user tbody', (body) => body.textContent)).toContain('reader-7');
    expect(await page.$eval('#deployments tbody tr[data-deployment="local-tts-1"]', (node) => node.textContent)).toContain('healthy');
    await browser.screenshot('spend');
  });

  it('shows a virtual key only its own jobs, and no operator pages', async () => {
    const generated = (await (await api('/key/generate', MASTER, { key_alias: 'guest', models: ['tts-1'] })).json()) as { key: string };
    const own = (await (await api('/v1/audio/speech/jobs', generated.key, { model: 'tts-1', voice: 'echo', items: [{ input: 'Mine alone.' }] })).json()) as {
      id: string;
    };
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
    await signIn(generated.key);
    expect(await page.$eval('#who', (node) => node.textContent)).toBe('Virtual key');
    expect(await page.$eval('#nav a[data-section=keys]', (node) => (node as PageElement).hidden)).toBe(true);
    await page.goto(`${running.baseUrl}/ui/#/jobs`);
    await page.waitForSelector(`#jobs-table tr[data-job="${own.id}"]`);
    const listed = await page.$$eval('#jobs-table tbody tr', (rows) => rows.map((row) => (row as PageElement).dataset['job']));
    expect(listed).toEqual([own.id]);
    await browser.screenshot('virtual-key-jobs');
    await page.goto(`${running.baseUrl}/ui/#/spend`);
    await page.waitForSelector('#spend:not([hidden])');
    expect(await page.$eval('#deployments', (table) => (table.closest('.card') as PageElement).hidden)).toBe(true);
    expect(await page.$eval('#speak-model', (select) => Array.from((select as PageElement).options).map((option) => option.value))).toEqual(['tts-1']);
    await browser.screenshot('virtual-key-spend');
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    await page.setViewport({ width: 390, height: 844 });
    await page.goto(`${running.baseUrl}/ui/#/playground`);
    await page.waitForSelector('#playground:not([hidden])');
    const widths = await page.evaluate(() => [document.querySelector('html')?.scrollWidth ?? 0, document.querySelector('body')?.scrollWidth ?? 0]);
    for (const width of widths) expect(width).toBeLessThanOrEqual(390);
    await browser.screenshot('phone-playground');
  });
});
