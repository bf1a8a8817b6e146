/**
 * What the e2e tests need from outside the test files: a real n8n with this package installed, its
 * server, the workflow files, its database and API keys made at run time. Plain JavaScript, so
 * that the TypeScript tests stay within the community-node lint rules (no fs, path or process).
 * Types: harness.d.ts.
 */
const { randomBytes } = require('node:crypto');
const { readFileSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const { createN8nHome, describeLine, freePort, n8nLine } = require('../../scripts/n8n-runtime');
const { startServer } = require('../../scripts/n8n-server');
const { newestAgentVersion, withAgentVersion } = require('./agent-version');

const WORKFLOWS_DIR = path.join(__dirname, 'workflows');
const AGENT_DIR = path.join(__dirname, 'agent');
const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** The n8n these tests run on: SPACELY_N8N_LINE ('newest' or 'oldest'), default the newest. */
function e2eN8nDescription() {
	return describeLine(n8nLine());
}

/**
 * A throwaway n8n home with this package installed. SPACELY_E2E_TARBALL (set by
 * scripts/test-e2e.js) installs that package file instead of building and packing again.
 */
function createE2eN8nHome() {
	return createN8nHome({
		log: (line) => process.stdout.write(`${line}\n`),
		tarball: process.env.SPACELY_E2E_TARBALL || undefined,
	});
}

/** Distinct keys for one test run: the fake server accepts `good`, rejects `wrong`. */
function e2eApiKeys() {
	const suffix = randomBytes(4).toString('hex');
	return { good: `e2e-good-${suffix}`, wrong: `e2e-wrong-${suffix}` };
}

/** The workflows saved with version 1 of the node, test/e2e/workflows/*.json (not its v2/ folder). */
function workflowFiles() {
	return readdirSync(WORKFLOWS_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => path.join(WORKFLOWS_DIR, file));
}

/** A workflow file below test/e2e/workflows, such as 'v2/every-operation.json'. */
function workflowFile(name) {
	return path.join(WORKFLOWS_DIR, name);
}

function exampleFile(name) {
	return path.join(EXAMPLES_DIR, name);
}

/** A shipped example workflow (examples/<name>), parsed. */
function readExample(name) {
	return JSON.parse(readFileSync(exampleFile(name), 'utf8'));
}

/** The newest AI Agent node version that the n8n these tests run on has. */
function e2eAgentVersion() {
	return newestAgentVersion(n8nLine());
}

/**
 * A workflow of test/e2e/agent (kept apart: the workflows suite imports test/e2e/workflows whole),
 * parsed, its AI Agent at e2eAgentVersion().
 */
function agentWorkflow(name) {
	const workflow = JSON.parse(readFileSync(path.join(AGENT_DIR, name), 'utf8'));
	return withAgentVersion(workflow, e2eAgentVersion());
}

/**
 * Imports the workflows (files, or workflows already parsed) in one n8n CLI run (n8n takes a JSON
 * array of workflows): each CLI start costs 5 to 15 seconds, so one per file made importing the
 * slowest step of the suite.
 */
async function importWorkflows(home, workflows) {
	const combined = path.join(home.userFolder, 'workflows-to-import.json');
	const parsed = workflows.map((workflow) => (typeof workflow === 'string' ? JSON.parse(readFileSync(workflow, 'utf8')) : workflow));
	writeFileSync(combined, JSON.stringify(parsed));
	await home.importWorkflow(combined);
	rmSync(combined);
}

/** A workflow of test/e2e/workflows (a path below it, such as 'v2/every-operation.json'), parsed. */
function readWorkflow(file) {
	return JSON.parse(readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
}

/** Whether `text` appears anywhere in the n8n home's SQLite database, its write-ahead log included. */
function databaseContains(home, text) {
	const dir = path.join(home.userFolder, '.n8n');
	const database = readFileSync(path.join(dir, 'database.sqlite'));
	const wal = readFileSync(path.join(dir, 'database.sqlite-wal'), { flag: 'a+' });
	return Buffer.concat([database, wal]).includes(text);
}

/** A base URL on 127.0.0.1 where nothing listens. */
async function closedPortUrl() {
	return `http://127.0.0.1:${await freePort()}`;
}

/**
 * Tests credentials the way the editor's Test button does: POST /rest/credentials/test with the
 * stored credential's id and the form's data (n8n 2.8 tests stored credentials only, 403 else).
 * Resolves with n8n's answer ({ status, message }).
 */
async function testCredential(server, credential) {
	const { status, body } = await server.request('POST', '/rest/credentials/test', { credentials: credential });
	if (status !== 200) throw new Error(`credential test: HTTP ${status} ${JSON.stringify(body)}`);
	return body.data;
}

module.exports = {
	e2eN8nDescription,
	createE2eN8nHome,
	e2eApiKeys,
	workflowFiles,
	workflowFile,
	exampleFile,
	readExample,
	e2eAgentVersion,
	agentWorkflow,
	importWorkflows,
	readWorkflow,
	databaseContains,
	closedPortUrl,
	startServer,
	testCredential,
};
