#!/usr/bin/env node
/**
 * `npm run test:ui`: the browser suite (test/ui/). Debian's Chromium, driven by playwright-core,
 * uses the n8n editor as a person would: logs in, opens a new workflow, adds the Spacely node from
 * the node creator, checks its version-2 panel (field order, Output, Wait and Request Settings,
 * help texts), creates its credential with a wrong and then the good API key, fills the fields,
 * executes the node and checks the output panel (image files) and what the fake Spacely server
 * received. Screenshots go to test/ui/screenshots/ (git-ignored); node-panel.png there is the
 * README's docs/node-panel.png.
 *
 *   npm run test:ui                    on the newest supported n8n
 *   npm run test:ui -- --n8n oldest    on the oldest supported n8n (1.123.81) instead (scripts/n8n-versions.js)
 *   SPACELY_UI_TARBALL=x.tgz           install that package file instead of building and packing
 *   SPACELY_UI_CHROMIUM=/path          another Chromium (default /usr/bin/chromium, installed with
 *                                      apt-get when missing)
 *
 * Everything it starts (Chromium, n8n, the fake server, temporary folders) is stopped and removed
 * at the end, on failure and on Ctrl-C.
 */
const { randomBytes } = require('node:crypto');
const { rmSync } = require('node:fs');

const { createN8nHome, describeLine, runScript } = require('./n8n-runtime');
const { n8nLineFromArgs } = require('./n8n-versions');
const { startServer } = require('./n8n-server');
const { startFakeSpacely } = require('../test/fake-spacely/server');
const { SCREENSHOTS_DIR, ensureChromium, loadPlaywright, launchBrowser, screenshot } = require('../test/ui/browser');
const { runSteps } = require('../test/ui/runner');
const { spacelySteps } = require('../test/ui/spacely.ui');

// How long one browser action or wait may take: generous for a slow CI machine, bounded.
const ACTION_TIMEOUT_MS = 30_000;
const log = (line) => console.log(line);

async function main(cleanups) {
	const line = n8nLineFromArgs();
	loadPlaywright(); // fail at once, before n8n starts, when it is missing
	await ensureChromium(log);
	rmSync(SCREENSHOTS_DIR, { recursive: true, force: true });

	const suffix = randomBytes(4).toString('hex');
	const keys = { good: `ui-good-${suffix}`, wrong: `ui-wrong-${suffix}` };
	const fake = await startFakeSpacely({ apiKeys: [keys.good] });
	cleanups.push(() => fake.close());

	log(`Preparing ${describeLine(line)} with this package installed`);
	const home = await createN8nHome({ log, n8nVersion: line.name, tarball: process.env.SPACELY_UI_TARBALL || undefined });
	cleanups.push(() => home.cleanup());
	const server = await startServer(home);
	cleanups.push(() => server.stop());
	log(`n8n editor on ${server.url}, fake Spacely server on ${fake.url}`);

	const browser = await launchBrowser({ timeoutMs: ACTION_TIMEOUT_MS });
	cleanups.push(() => browser.close());
	log('Chromium started\n');

	const steps = spacelySteps({ page: browser.page, n8nUrl: server.url, fake, keys, log });
	const { failed } = await runSteps(steps, {
		log,
		onFailure: async () => {
			log(`           screenshot: ${await screenshot(browser.page, 'failure')}`);
			const errors = browser.consoleErrors.slice(-5);
			if (errors.length) log(`           last browser console errors:\n             ${errors.join('\n             ')}`);
		},
	});
	log(`Screenshots: ${SCREENSHOTS_DIR}`);
	if (failed) throw new Error(`${failed} UI test step(s) failed`);
}

runScript('UI tests', main);
