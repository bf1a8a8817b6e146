/**
 * The queue-mode checks (run by scripts/test-queue.js): webhook calls that each render a batch of
 * rooms with the Spacely node (generate, wait, download) on two n8n workers at once, and what the
 * fake Spacely server saw of them. The account budget in the credential is 20 per second for 2
 * n8n processes: each worker alone may send 10, and together they must never send more than 20
 * within one second, though each would send far more without the budget.
 */
const path = require('node:path');

const { peakPerSecond } = require('../fake-spacely/server');
const { check } = require('../ui/runner');

const WORKFLOW_FILE = path.join(__dirname, 'workflows', 'renders-on-workers.json');
const WORKFLOW_ID = 'queueRendersOnWorkers';
const WEBHOOK_PATH = 'spacely-queue-renders';
const CREDENTIAL = { id: 'queueBudget', name: 'Spacely (20 per second, 2 workers)' };
const BUDGET = { requestsPerSecond: 20, n8nProcesses: 2 };
// Two calls per worker (each runs two executions at a time), twelve rooms each: 24 renders a
// worker starts at once, more than twice its share of the budget.
const CALLS = 4;
const ROOMS_PER_CALL = 12;
const IMAGES_PER_RENDER = 4;
const CALL_TIMEOUT_MS = 240_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const roomUrl = (call, room) => `https://example.com/photos/queue-call-${call}-room-${room}.jpg`;

/**
 * @param {object} context
 * @param {{ url: string, request: Function }} context.server  the main (scripts/n8n-server.js)
 * @param {Array<{ name: string, output: () => string }>} context.workers
 * @param {object} context.fake     the fake Spacely server
 * @param {string} context.apiKey
 * @param {(text: string) => unknown} context.parseFlatted  n8n's execution data format
 * @param {(line: string) => void} context.log
 */
function queueSteps({ server, workers, fake, apiKey, parseFlatted, log }) {
	/** per call: the rooms it sent and the items the webhook answered with */
	const calls = [];
	/** per execution: its id, the worker that ran it and the Spacely node's output items */
	const executions = [];

	const steps = [
		{
			name: `${CALLS} webhook calls at once each answer with their rooms' renders, ${IMAGES_PER_RENDER} images a room`,
			async run() {
				const answers = await Promise.all(Array.from({ length: CALLS }, (_, call) => callWebhook(server.url, call)));
				calls.push(...answers);
				for (const { call, rooms, status, items } of answers) {
					check(status === 200, `call ${call}: the webhook answered HTTP ${status}`, items);
					check(Array.isArray(items) && items.length === rooms.length * IMAGES_PER_RENDER, `call ${call}: expected ${rooms.length * IMAGES_PER_RENDER} items`, Array.isArray(items) ? items.length : items);
					rooms.forEach((room, r) => {
						const refId = fake.refIdFor(room.imageUrl);
						check(refId, `call ${call}: Spacely never issued a ref id for ${room.imageUrl}`);
						for (let image = 0; image < IMAGES_PER_RENDER; image++) {
							const item = items[r * IMAGES_PER_RENDER + image];
							check(
								item.refId === refId && item.imageUrl === room.imageUrl && item.status === 'success' && item.imageIndex === image,
								`call ${call}, room ${r}, image ${image}: expected ref id ${refId}, status success, in input order`,
								item,
							);
						}
					});
				}
			},
		},
		{
			name: 'both workers ran executions, and sent to Spacely at the same time',
			async run() {
				executions.push(...(await readExecutions(server, parseFlatted, workers)));
				check(executions.length === CALLS, `expected ${CALLS} executions of the workflow`, executions.map((e) => e.id));
				for (const worker of workers) {
					const ran = executions.filter((e) => e.worker === worker.name).map((e) => e.id);
					check(ran.length > 0, `${worker.name} ran no execution`, executions.map(({ id, worker: w }) => ({ id, worker: w })));
					log(`           ${worker.name} ran executions ${ran.join(', ')}`);
				}
				const [first, second] = workers.map((worker) => spanAtSpacely(fake, executions, worker.name));
				const overlapMs = Math.min(first.last, second.last) - Math.max(first.first, second.first);
				check(overlapMs >= 1000, 'the workers did not send to Spacely at the same time for at least a second', { first, second });
				log(`           both sent to Spacely for ${(overlapMs / 1000).toFixed(1)} s at the same time`);
			},
		},
		{
			name: 'the execution data holds every image as binary data',
			async run() {
				for (const execution of executions) {
					check(execution.items.length === ROOMS_PER_CALL * IMAGES_PER_RENDER, `execution ${execution.id}: expected ${ROOMS_PER_CALL * IMAGES_PER_RENDER} items`, execution.items.length);
					for (const { json, binary } of execution.items) {
						const data = binary?.data;
						check(data?.id && data.mimeType === 'image/png', `execution ${execution.id}: ${json.refId} image ${json.imageIndex} has no PNG in binary "data"`, binary);
						const query = new URLSearchParams({ id: data.id, action: 'download' });
						const { status, body } = await server.request('GET', `/rest/binary-data?${query}`, undefined, { bytes: true });
						check(status === 200 && body.subarray(0, 8).equals(PNG_SIGNATURE), `execution ${execution.id}: the stored image ${data.id} is not a PNG (HTTP ${status}, ${body.length} bytes)`);
					}
				}
			},
		},
		{
			name: `no one-second window at Spacely exceeds the account budget of ${BUDGET.requestsPerSecond} per second`,
			async run() {
				const share = Math.floor(BUDGET.requestsPerSecond / BUDGET.n8nProcesses);
				const peak = peakPerSecond(fake.requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.receivedAt));
				log(`           peak ${peak} requests in one second (budget ${BUDGET.requestsPerSecond}, ${share} a worker)`);
				check(peak <= BUDGET.requestsPerSecond, `Spacely saw ${peak} requests within one second`);
				// One worker alone sends at most its share: more in one second means both sent in it.
				check(peak > share, `the peak (${peak}) never went above one worker's share (${share}): the budget was not put to the test`);
			},
		},
		{
			name: 'the API key appears in no n8n output',
			async run() {
				for (const { name, output } of [{ name: 'the main', output: server.output }, ...workers]) {
					check(!output().includes(apiKey), `${name} printed the API key`);
				}
			},
		},
	];
	return steps;
}

/** One webhook call with its own rooms; resolves with the rooms and the webhook's answer. */
async function callWebhook(n8nUrl, call) {
	const rooms = Array.from({ length: ROOMS_PER_CALL }, (_, room) => ({ imageUrl: roomUrl(call, room), style: 'scandinavian' }));
	const response = await fetch(`${n8nUrl}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ rooms }),
		signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
	});
	const text = await response.text();
	let items;
	try {
		items = JSON.parse(text);
	} catch {
		items = text;
	}
	return { call, rooms, status: response.status, items };
}

/** The workflow's executions, each with the worker whose log says it started it. */
async function readExecutions(server, parseFlatted, workers) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
	const list = await server.request('GET', `/rest/executions?filter=${filter}&limit=${CALLS * 2}`);
	check(list.status === 200, `listing executions: HTTP ${list.status}`, list.body);
	const executions = [];
	for (const { id } of list.body.data.results) {
		const { status, body } = await server.request('GET', `/rest/executions/${id}`);
		check(status === 200, `reading execution ${id}: HTTP ${status}`, body);
		const runData = parseFlatted(body.data.data).resultData.runData;
		const worker = workers.find(({ output }) => output().includes(`Worker started execution ${id} `));
		executions.push({ id, worker: worker?.name, items: runData.Spacely?.[0]?.data?.main[0] ?? [] });
	}
	return executions;
}

/** When the requests of one worker's executions reached Spacely: the first and the last. */
function spanAtSpacely(fake, executions, workerName) {
	const ofWorker = new Set();
	for (const { worker, items } of executions) {
		if (worker !== workerName) continue;
		for (const { json } of items) {
			ofWorker.add(json.imageUrl);
			ofWorker.add(json.refId);
		}
	}
	const times = fake.requests
		.filter((r) => r.path.startsWith('/api/') && (ofWorker.has(r.body?.imageUrl) || ofWorker.has(r.query.refId)))
		.map((r) => r.receivedAt);
	return { worker: workerName, requests: times.length, first: Math.min(...times), last: Math.max(...times) };
}

module.exports = { queueSteps, WORKFLOW_FILE, WORKFLOW_ID, CREDENTIAL, BUDGET };
