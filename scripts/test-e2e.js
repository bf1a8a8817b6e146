#!/usr/bin/env node
/**
 * `npm run test:e2e`: the real-n8n suite (jest.e2e.config.js) once per supported n8n version,
 * newest first, each in its own jest run; fails if either fails.
 *
 *   npm run test:e2e                          both versions
 *   npm run test:e2e -- --n8n oldest          one version
 *   npm run test:e2e -- -t "happy path"       anything else goes to jest
 *
 * The package is built and packed once for both runs, and each n8n is installed (when its cache
 * lacks it) before its jest run, so that jest's timeouts measure tests only.
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n } = require('./n8n-install');
const { packPackage } = require('./n8n-runtime');
const { N8N_LINE_NAMES, describeLine, n8nLine } = require('./n8n-versions');
const { REPO_DIR, runScript } = require('./processes');

function parseArgs(args) {
	const names = [];
	const jestArgs = [];
	for (let i = 0; i < args.length; i++) {
		if (args[i] === '--n8n') names.push(args[++i]);
		else jestArgs.push(args[i]);
	}
	return { lines: (names.length ? names : N8N_LINE_NAMES).map((name) => n8nLine(name)), jestArgs };
}

/**
 * Runs jest in a process group of its own, which the n8n processes the tests start join: on
 * Ctrl-C or a failure, `cleanups` stops the whole group, so no n8n server outlives the run.
 */
function runJest(line, { runDir, tarball }, jestArgs, cleanups) {
	const jest = require.resolve('jest/bin/jest', { paths: [REPO_DIR] });
	const args = [jest, '-c', 'jest.e2e.config.js', '--runInBand', ...jestArgs];
	// The tests' temporary folders go into the run's folder, which goes even when jest is killed.
	const env = { ...process.env, SPACELY_N8N_LINE: line.name, SPACELY_E2E_TARBALL: tarball, TMPDIR: runDir };
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { cwd: REPO_DIR, env, stdio: 'inherit', detached: true });
		cleanups.push(() => stopGroup(child.pid));
		child.on('error', reject);
		child.on('close', (code, signal) => (signal ? reject(new Error(`jest was stopped by ${signal}`)) : resolve(code === 0)));
	});
}

/** SIGTERM lets n8n shut down; what is left after a moment is killed. */
async function stopGroup(pid) {
	const signalGroup = (signal) => {
		try {
			process.kill(-pid, signal);
			return true;
		} catch {
			return false; // the group has ended
		}
	};
	if (!signalGroup('SIGTERM')) return;
	await new Promise((resolve) => setTimeout(resolve, 5000));
	signalGroup('SIGKILL');
}

async function main(cleanups) {
	const { lines, jestArgs } = parseArgs(process.argv.slice(2));
	const runDir = mkdtempSync(path.join(os.tmpdir(), 'spacely-e2e-'));
	cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));
	console.log('Building and packing the package once for every n8n version');
	const tarball = await packPackage(runDir);

	const results = [];
	for (const line of lines) {
		await ensureN8n(line);
		console.log(`\n=== e2e suite on ${describeLine(line)} ===\n`);
		const started = Date.now();
		const passed = await runJest(line, { runDir, tarball }, jestArgs, cleanups);
		results.push({ line, passed, seconds: Math.round((Date.now() - started) / 1000) });
	}

	console.log('\n=== e2e summary ===');
	for (const { line, passed, seconds } of results) {
		console.log(`${passed ? 'passed' : 'FAILED'}  ${describeLine(line)}  ${seconds} s`);
	}
	const failed = results.filter((r) => !r.passed);
	if (failed.length) throw new Error(`the e2e suite failed on ${failed.map((r) => `n8n ${r.line.version}`).join(' and ')}`);
}

runScript('E2E', main);
