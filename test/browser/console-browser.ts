import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { requireExecutable } from '../helpers/tools.js';

/** Where each browser test leaves its screenshot (beside vitest's JSON report). */
const SCREENSHOT_DIRECTORY = join(process.cwd(), '.test-results', 'browser');

export interface ConsoleBrowser {
  readonly browser: Browser;
  readonly page: Page;
  /** Saves the whole page as `<name>.png` in the test output folder. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Debian's chromium, headless, with a fresh profile; audio may play without a click (the tests listen for `ended`). */
export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const executablePath = requireExecutable('chromium');
  const profile = await mkdtemp(join(tmpdir(), 'tts-gateway-chromium-'));
  await mkdir(SCREENSHOT_DIRECTORY, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--mute-audio',
      `--user-data-dir=${profile}`,
    ],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  return {
    browser,
    page,
    async screenshot(name) {
      const path = join(SCREENSHOT_DIRECTORY, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
