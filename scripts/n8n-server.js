/**
 * `n8n start` for an n8n home (scripts/n8n-runtime.js) on a free 127.0.0.1 port, with its owner
 * account set up and logged in, so that tests can call n8n's REST API as the editor does.
 */
const { spawn } = require('node:child_process');

const { parseJson } = require('../test/helpers/http-body');
const { freePort } = require('./n8n-runtime');
const { lastLine, track } = require('./processes');

const STARTUP_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;
// The owner account lives only in the throwaway user folder.
const OWNER = { email: 'owner@spacely-e2e.test', firstName: 'Spacely', lastName: 'Tests', password: 'Spacely-e2e-1' };
// n8n ties its auth cookie to a browser id that every later request must repeat.
const BROWSER_ID = 'spacely-e2e-browser';

const EDITOR_READY = 'Editor is now accessible via';

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts n8n's server for `home` and logs in as its owner (set up on the home's first start; a
 * later start on the same home, after `stop()` or `kill()`, logs in again). `request(method, path,
 * body)` calls n8n's REST API with the session and resolves with `{ status, body }` (body parsed
 * when JSON; a Buffer with `{ bytes: true }`, for binary data); `stop()` shuts n8n down; `kill()`
 * ends it at once with SIGKILL, as a crash or an out-of-memory kill does. Rejects, with the end of
 * n8n's output, when n8n does not come up.
 */
async function startServer(home) {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = track(
		spawn(home.nodeBin, [home.n8nBin, 'start'], {
			env: { ...home.env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_SECURE_COOKIE: 'false' },
			stdio: ['ignore', 'pipe', 'pipe'],
		}),
	);
	// Should the test runner exit without stopping it, n8n must not outlive it.
	const killOnExit = () => child.kill('SIGKILL');
	process.on('exit', killOnExit);
	child.on('close', () => process.off('exit', killOnExit));
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.on('close', resolve));

	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		// n8n stops its task runner itself on SIGTERM.
		child.kill('SIGTERM');
		const done = await Promise.race([exited.then(() => true), wait(STOP_TIMEOUT_MS).then(() => false)]);
		if (!done) child.kill('SIGKILL');
		await exited;
	};
	const kill = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGKILL');
		await exited;
	};

	let cookie = '';
	const request = async (method, path, body, { bytes = false } = {}) => {
		const response = await fetch(`${url}${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const authCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (authCookie) cookie = authCookie.split(';')[0];
		if (bytes) return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
		const text = await response.text();
		return { status: response.status, body: parseJson(text) ?? text };
	};

	try {
		const settings = await waitUntilReady(url, exited, () => output);
		if (settings.userManagement?.showSetupOnFirstLoad !== false) {
			await expectOk('set up the owner', request('POST', '/rest/owner/setup', OWNER));
			cookie = '';
		}
		await expectOk('log in', request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password }));
	} catch (error) {
		await stop();
		throw error;
	}
	return { url, request, stop, kill, output: () => output };
}

/** Resolves with the settings n8n's editor loads first, once n8n is up, published workflows included. */
async function waitUntilReady(url, exited, output) {
	let hasExited = false;
	exited.then(() => (hasExited = true));
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (hasExited) throw new Error(`n8n start exited: ${lastLine(output())}`);
		// n8n 2.8's /healthz/readiness answers before the REST API is set up, and every path
		// answers 200 "n8n is starting up" during migrations: wait for the settings as JSON.
		const settings = await fetch(`${url}/rest/settings`).then(
			async (r) => (r.ok ? parseJson(await r.text())?.data : undefined),
			() => undefined,
		);
		// The REST API comes up before n8n registers the webhooks of published workflows; it
		// prints where the editor is once they are.
		if (settings !== undefined && output().includes(EDITOR_READY)) return settings;
		await wait(250);
	}
	throw new Error(`n8n did not start within ${STARTUP_TIMEOUT_MS / 1000} s: ${lastLine(output())}`);
}

async function expectOk(what, pending) {
	const { status, body } = await pending;
	if (status !== 200) throw new Error(`could not ${what} in n8n: HTTP ${status} ${JSON.stringify(body)}`);
	return body;
}

module.exports = { OWNER, startServer };
