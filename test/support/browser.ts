import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; never a browser downloaded by Playwright. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Headless Debian Chromium for browser tests. The flags keep it off the
 * network (this machine's closed network refuses its background requests
 * many at a time) and let it run as root in CI.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
