// Chromium as the tests and the bench run it: Debian's build (DLNB_CHROMIUM to use
// another), headless, without a sandbox (CI runs as root), and nothing phoning home, which
// this machine's closed network would refuse over and over.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.DLNB_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
