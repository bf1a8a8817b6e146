/**
 * Executions in a real n8n server (scripts/n8n-server.js), driven as a user and n8n's editor drive
 * them: a workflow published with a Webhook trigger is run by calling its webhook, n8n's REST API
 * lists and reads its executions, and *Retry* on a failed or crashed execution is
 * `POST /rest/executions/:id/retry`. Plain JavaScript like harness.js; types in
 * server-executions.d.ts.
 */
const path = require('node:path');

const { freePort, run } = require('../../scripts/n8n-runtime');
const { startServer } = require('../../scripts/n8n-server');

const FINISHED_TIMEOUT_MS = 240_000;
const CHECK_EVERY_MS = 250;
const WEBHOOK_READY_TIMEOUT_MS = 30_000;
/** What n8n calls an execution that has not ended (yet). */
const NOT_ENDED = ['new', 'running', 'waiting', 'unknown'];

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes workflows so that the server, started after, registers their webhooks.
 * `update:workflow --active=true` does that on n8n 1.x and 2.x alike (2.x calls it deprecated and
 * publishes the current version).
 */
async function publishWorkflows(home, workflowIds) {
	for (const id of workflowIds) {
		await run(home.nodeBin, [home.n8nBin, 'update:workflow', `--id=${id}`, '--active=true'], { env: home.env });
	}
}

/**
 * Starts the server again on the same n8n home after it stopped or was killed, with a task runner
 * port of its own (a runner of the killed server may still hold the old one for a moment).
 */
async function restartServer(home) {
	return await startServer({ ...home, env: { ...home.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) } });
}

/**
 * Calls a production webhook (`/webhook/<path>`) with a JSON body; resolves with `{ status, body }`.
 * n8n may register a published workflow's webhook a moment after its editor is up: a 404 (nothing
 * ran) is asked again for up to WEBHOOK_READY_TIMEOUT_MS.
 */
async function callWebhook(server, webhookPath, body) {
	const deadline = Date.now() + WEBHOOK_READY_TIMEOUT_MS;
	for (;;) {
		const response = await fetch(`${server.url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await response.text();
		if (response.status === 404 && Date.now() < deadline) {
			await wait(500);
			continue;
		}
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// a plain-text answer stays text
		}
		return { status: response.status, body: parsed };
	}
}

/** The workflow's executions as n8n's executions list shows them, newest first. */
async function listExecutions(server, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { status, body } = await server.request('GET', `/rest/executions?filter=${filter}&limit=100`);
	if (status !== 200) throw new Error(`listing executions: HTTP ${status} ${JSON.stringify(body)}`);
	return body.data.results;
}

/**
 * Waits until the workflow has `count` executions (default 1) that have ended (any status but
 * new, running, waiting or unknown: success, error, crashed, canceled); resolves with them,
 * newest first.
 */
async function waitForEndedExecutions(server, workflowId, { count = 1, timeoutMs = FINISHED_TIMEOUT_MS } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await listExecutions(server, workflowId);
		const ended = executions.filter((execution) => !NOT_ENDED.includes(execution.status));
		if (ended.length >= count) return ended;
		if (Date.now() > deadline) {
			throw new Error(
				`after ${timeoutMs / 1000} s, ${ended.length} of ${count} executions of workflow ${workflowId} had ended: ${JSON.stringify(executions.map(({ id, status }) => ({ id, status })))}`,
			);
		}
		await wait(CHECK_EVERY_MS);
	}
}

/**
 * One execution with its run data: `{ id, status, mode, retryOf, runData }`, runData as n8n keeps
 * it (per node name, its runs, each with `data.main` and `error`).
 */
async function readExecution(server, home, executionId) {
	const { status, body } = await server.request('GET', `/rest/executions/${executionId}`);
	if (status !== 200) throw new Error(`reading execution ${executionId}: HTTP ${status} ${JSON.stringify(body)}`);
	const execution = body.data;
	const data = typeof execution.data === 'string' ? parseFlatted(home, execution.data) : execution.data;
	return {
		id: String(execution.id),
		status: execution.status,
		mode: execution.mode,
		retryOf: execution.retryOf ?? undefined,
		runData: data?.resultData?.runData ?? {},
		error: data?.resultData?.error,
	};
}

/** Waits until the execution has ended, then reads it (readExecution). */
async function waitForExecution(server, home, executionId, { timeoutMs = FINISHED_TIMEOUT_MS } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await readExecution(server, home, executionId);
		if (!NOT_ENDED.includes(execution.status)) return execution;
		if (Date.now() > deadline) throw new Error(`execution ${executionId} was still ${execution.status} after ${timeoutMs / 1000} s`);
		await wait(CHECK_EVERY_MS);
	}
}

/**
 * *Retry* on an execution in n8n's executions list, as the editor sends it: "Retry with original
 * workflow" (`loadWorkflow: false`, the workflow as it was when the execution ran) or "with
 * currently saved workflow" (`true`). n8n runs it in mode `retry` from where the execution
 * stopped. Resolves with the new execution, once it has ended.
 */
async function retryExecution(server, home, executionId, { loadWorkflow = false } = {}) {
	const { status, body } = await server.request('POST', `/rest/executions/${executionId}/retry`, { loadWorkflow });
	if (status !== 200) throw new Error(`retrying execution ${executionId}: HTTP ${status} ${JSON.stringify(body)}`);
	// n8n 2.x answers with the new execution once it has ended; n8n 1.x answered whether it had
	// finished, so the new execution is the one that says it retries this one.
	const retriedId = body.data?.id ?? (await findRetryOf(server, home, executionId));
	return await waitForExecution(server, home, String(retriedId));
}

async function findRetryOf(server, home, executionId) {
	const { body } = await server.request('GET', `/rest/executions/${executionId}`);
	const workflowId = body.data.workflowId;
	const retry = (await listExecutions(server, workflowId)).find((execution) => String(execution.retryOf) === String(executionId));
	if (!retry) throw new Error(`no execution retries execution ${executionId}`);
	return retry.id;
}

/** The items a node output in its last run of an execution (readExecution), its first output. */
function nodeOutput(execution, nodeName) {
	const runs = execution.runData[nodeName] ?? [];
	return runs.at(-1)?.data?.main?.[0] ?? [];
}

/** n8n sends execution data in its `flatted` format; the parser comes with that n8n. */
function parseFlatted(home, text) {
	const from = path.join(home.line.cacheDir, 'node_modules', 'n8n');
	return require(require.resolve('flatted', { paths: [from] })).parse(text);
}

module.exports = {
	publishWorkflows,
	restartServer,
	callWebhook,
	listExecutions,
	waitForEndedExecutions,
	readExecution,
	waitForExecution,
	retryExecution,
	nodeOutput,
};
