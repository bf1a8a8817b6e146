#!/usr/bin/env node
/**
 * `npm run demo`: a real n8n loads this package as a community package and runs the example
 * workflow (examples/spacely-rooms.workflow.json) against the bundled fake Spacely server.
 *
 *   npm run demo                 run the example, print a table of the image files and their captions
 *   npm run demo -- --editor     open the n8n editor with the package, credential and example in place
 *   npm run demo -- --n8n oldest on the oldest supported n8n instead of the newest
 *                                (or SPACELY_N8N_LINE=oldest; see scripts/n8n-versions.js)
 *
 * Against the real API instead of the fake one (this spends credits):
 *   SPACELY_API_KEY=... [SPACELY_BASE_URL=https://api.spacely.ai] npm run demo
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { spawn } = require('node:child_process');
const path = require('node:path');

const { REPO_DIR, createN8nHome, describeLine, freePort, lastLine, runScript } = require('./n8n-runtime');
const { n8nLineFromArgs } = require('./n8n-versions');
const { startFakeSpacely } = require('../test/fake-spacely/server');
const { formatTable } = require('./table');

const EXAMPLE = path.join(REPO_DIR, 'examples', 'spacely-rooms.workflow.json');
const EXAMPLE_ID = 'spacelyExampleRooms';
const LAST_STEP = 'Social Post';
const RUN_DATA_FILE = path.join(REPO_DIR, '.n8n-demo', 'last-run.json');

const log = (line) => console.log(line);

async function main(cleanups) {
	const editor = process.argv.includes('--editor');
	const line = n8nLineFromArgs();
	const target = await spacelyTarget(cleanups);

	log(`1/4 Preparing ${describeLine(line)} and installing this package into it as a community package`);
	const n8n = await createN8nHome({ log, n8nVersion: line.name });
	cleanups.push(() => n8n.cleanup());

	log(`2/4 Importing the "Spacely (demo)" credential (${target.label}) and the example workflow`);
	await n8n.importCredentials([
		{ id: 'spacelyDemoCred', name: 'Spacely (demo)', type: 'spacelyApi', data: target.credential },
	]);
	await n8n.importWorkflow(EXAMPLE);

	if (editor) return await openEditor(n8n, cleanups);

	log('3/4 Running the example workflow with the n8n CLI');
	const { ok, run, output } = await n8n.execute(EXAMPLE_ID);
	if (!run) throw new Error(`n8n printed no run data: ${lastLine(output)}`);
	mkdirSync(path.dirname(RUN_DATA_FILE), { recursive: true });
	writeFileSync(RUN_DATA_FILE, JSON.stringify(run, null, 2));

	log('4/4 Result\n');
	printTable(run);
	log(`\nFull run data: ${RUN_DATA_FILE}`);
	if (!ok) throw new Error(`the workflow failed: ${run.data.resultData.error?.message ?? lastLine(output)}`);
}

async function spacelyTarget(cleanups) {
	if (process.env.SPACELY_API_KEY) {
		const baseUrl = process.env.SPACELY_BASE_URL || 'https://api.spacely.ai';
		return { label: `the real API at ${baseUrl}`, credential: { apiKey: process.env.SPACELY_API_KEY, baseUrl } };
	}
	const fake = await startFakeSpacely();
	cleanups.push(() => fake.close());
	return { label: `fake Spacely server at ${fake.url}`, credential: { apiKey: 'test-key', baseUrl: fake.url } };
}

/** One row per image of the example's last step, a social post: the file and its caption. */
function printTable(run) {
	const { runData } = run.data.resultData;
	const posts = runData[LAST_STEP]?.[0]?.data?.main[0] ?? [];
	const rows = posts.map(({ json, binary }) => [
		String(json.room ?? ''),
		String(json.fileName ?? ''),
		binary?.data ? `${binary.data.mimeType}, ${binary.data.fileSize}` : 'no file',
		String(json.caption ?? ''),
	]);
	const failed = Object.entries(runData).find(([, runs]) => runs[0]?.error);
	if (failed) rows.push([failed[0], '', '', `ERROR: ${failed[1][0].error.message}`]);
	for (const line of formatTable(['Room', 'File', 'Image', 'Caption'], rows)) log(line);
}

async function openEditor(n8n, cleanups) {
	const port = await freePort();
	const url = `http://localhost:${port}`;
	log(`3/4 Starting the n8n editor on ${url} (first visit: create a local owner account; it lives only in a temporary folder)`);
	const child = spawn(n8n.nodeBin, [n8n.n8nBin, 'start'], {
		env: { ...n8n.env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_SECURE_COOKIE: 'false' },
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	cleanups.push(() => child.kill('SIGTERM'));
	log(`4/4 Open ${url}/workflow/${EXAMPLE_ID} — press Ctrl-C to stop n8n and remove everything the demo made`);
	await new Promise((resolve, reject) => {
		child.on('exit', (code) => (code === 0 || code === null ? resolve() : reject(new Error(`n8n exited with ${code}`))));
	});
}

runScript('Demo', main);
