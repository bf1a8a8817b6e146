/**
 * Debian's Chromium driven by playwright-core, for the browser suite (test/ui/spacely.ui.js).
 * The machine may have no internet: the flags keep Chromium from calling home (without them it
 * floods the log with refused connections), and each run gets a fresh profile folder.
 */
const { existsSync, mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { run } = require('../../scripts/processes');

const CHROMIUM = process.env.SPACELY_UI_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS_DIR = path.join(__dirname, 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Installs Debian's chromium with apt when it is missing (the suite runs as root in CI). */
async function ensureChromium(log) {
	if (existsSync(CHROMIUM)) return;
	if (process.env.SPACELY_UI_CHROMIUM) throw new Error(`SPACELY_UI_CHROMIUM=${CHROMIUM} does not exist`);
	log(`${CHROMIUM} is missing: installing Debian's chromium (apt-get install -y chromium)`);
	try {
		await run('apt-get', ['update']);
		await run('apt-get', ['install', '-y', 'chromium'], {
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
	} catch (error) {
		throw new Error(`could not install chromium (run as root on Debian, or set SPACELY_UI_CHROMIUM): ${error.message}`);
	}
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
}

/** playwright-core from the repo's devDependencies, with n8n's test id attribute for getByTestId. */
function loadPlaywright() {
	let playwright;
	try {
		playwright = require('playwright-core');
	} catch {
		throw new Error('playwright-core is not installed: run `npm ci` (it is a devDependency)');
	}
	playwright.selectors.setTestIdAttribute('data-test-id');
	return playwright;
}

/**
 * Starts Chromium with a fresh profile. Returns `{ page, close }`; `close()` ends Chromium and
 * removes the profile, and is safe to call twice. Playwright's own signal handlers are off: the
 * script's cleanup (scripts/processes.js runScript) closes the browser on Ctrl-C.
 */
async function launchBrowser({ timeoutMs }) {
	const { chromium } = loadPlaywright();
	const profile = mkdtempSync(path.join(os.tmpdir(), 'spacely-ui-chromium-'));
	let context;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: VIEWPORT,
			timeout: 60_000,
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
		});
	} catch (error) {
		rmSync(profile, { recursive: true, force: true });
		throw error;
	}
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(timeoutMs);
	const consoleErrors = [];
	page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
	let closed = false;
	return {
		page,
		consoleErrors,
		async close() {
			if (closed) return;
			closed = true;
			await context.close().catch(() => undefined);
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** Saves a PNG of the page (or of one element) under test/ui/screenshots/; returns its path. */
async function screenshot(target, name) {
	mkdirSync(SCREENSHOTS_DIR, { recursive: true });
	const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
	await target.screenshot({ path: file, animations: 'disabled' });
	return file;
}

module.exports = { CHROMIUM, SCREENSHOTS_DIR, VIEWPORT, ensureChromium, loadPlaywright, launchBrowser, screenshot };
