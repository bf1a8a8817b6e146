/**
 * `npm run bench` (without --renders): how fast the Spacely node gets N items through Generate
 * Advance under its rate cap, against n8n's HTTP Request node doing the same calls in the same run.
 * BENCHMARK.md explains the columns and the targets.
 */
const http = require('node:http');

const { startFakeSpacely } = require('../../test/fake-spacely/server');
const { CREDENTIAL_ID, KEY, benchN8n, executeWatched, out, printHeader, printTable, progress, verdict, workflow } = require('./shared');

const BARE_CLIENT_REQUESTS = 50;
/** quiet runs of this bench on one machine differ by up to this much per row (BENCHMARK.md) */
const RUN_TO_RUN_SPREAD = 0.05;

function rooms(items) {
	return Array.from({ length: items }, (_, i) => ({
		photo: `https://example.com/bench/room-${i}.jpg`,
		model: 'spacely-v1',
		style: ['modern', 'scandinavian', 'industrial_loft'][i % 3],
		avoid: '',
		renovateType: 'residential',
	}));
}

function spacelyNode(concurrency, cap) {
	return {
		name: 'Spacely',
		type: 'n8n-nodes-spacely.spacely',
		typeVersion: 1,
		parameters: {
			operation: 'generateAdvance',
			model: '={{ $json.model }}',
			imageUrl: '={{ $json.photo }}',
			renovateType: '={{ $json.renovateType }}',
			prompt: '={{ $json.style }}',
			negativePrompt: '={{ $json.avoid }}',
			options: { maxConcurrency: concurrency, maxRequestsPerSecond: cap },
		},
		credentials: { spacelyApi: { id: CREDENTIAL_ID, name: 'Spacely (bench)' } },
	};
}

/**
 * n8n's HTTP Request node sending Generate Advance; `batchSize` items every second when given.
 * `body`: the JSON body's fields (default: the five fields from the item's expressions).
 */
function httpPostNode(url, batchSize, { name = 'HTTP Request', body } = {}) {
	const field = (fieldName, expression) => ({ name: fieldName, value: `={{ $json.${expression} }}` });
	const fields = body ?? [field('model', 'model'), field('imageUrl', 'photo'), field('prompt', 'style'), field('nPrompt', 'avoid'), field('renovateType', 'renovateType')];
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${url}/api/v1/generate/advance`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'X-API-KEY', value: KEY }] },
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: { parameters: fields },
			options: batchSize ? { batching: { batch: { batchSize, batchInterval: 1000 } } } : {},
		},
	};
}

/**
 * The least time any client could take for N requests of L ms each, with at most c in flight and
 * at most R sent within any 1000 ms: each request starts as early as both rules allow.
 */
function minimumMs(N, c, L, R) {
	const starts = [];
	const inFlightUntil = new Array(c).fill(0);
	for (let i = 0; i < N; i++) {
		const slot = inFlightUntil.indexOf(Math.min(...inFlightUntil));
		const start = Math.max(inFlightUntil[slot], i >= R ? starts[i - R] + 1000 : 0);
		starts.push(start);
		inFlightUntil[slot] = start + L;
	}
	return Math.max(...inFlightUntil);
}

/** Ms per request of a bare Node.js client (a new connection per request, no n8n), one at a time. */
async function bareClientMsPerRequest(fake, count) {
	const post = (i) =>
		new Promise((resolve, reject) => {
			const body = JSON.stringify({ model: 'spacely-v1', imageUrl: `https://example.com/bare/${i}.jpg`, prompt: '', nPrompt: '', renovateType: 'residential' });
			const headers = { 'Content-Type': 'application/json', 'X-API-KEY': KEY };
			const request = http.request(`${fake.url}/api/v1/generate/advance`, { method: 'POST', headers, agent: false }, (response) => {
				response.resume();
				response.on('end', resolve);
			});
			request.on('error', reject);
			request.end(body);
		});
	fake.reset();
	const start = performance.now();
	for (let i = 0; i < count; i++) await post(i);
	return (performance.now() - start) / count;
}

/** Runs one workflow and checks every item got a ref id from the fake server. */
async function measure(n8n, fake, id, nodeName, items, refIdOf) {
	fake.reset();
	const { run } = await executeWatched(n8n, id);
	const nodeRun = run.data.resultData.runData[nodeName][0];
	const results = nodeRun.data?.main[0] ?? [];
	const issued = new Set(fake.issuedRefIds());
	const posts = fake.requests.filter((r) => r.method === 'POST').length;
	if (results.length !== items || posts !== items || !results.every((r) => issued.has(refIdOf(r.json)))) {
		throw new Error(`workflow ${id}: expected ${items} items with ref ids from ${items} POSTs, got ${results.length} items from ${posts} POSTs`);
	}
	return { wall: nodeRun.executionTime, peak: fake.peakPerSecond(), inFlight: fake.maxInFlight() };
}

async function benchPosts(cleanups, { items: N, latency: L, concurrency, cap: R }) {
	printHeader('Spacely node benchmark: starting renders (POST only)');
	out(`Times are the node's own executionTime from n8n's run data (not the CLI process's wall time).`);
	out(`N = ${N} items, fake server latency L = ${L} ms, cap R = ${R} requests/s (Spacely's own limit is 100/s)`);
	out();

	const fake = await startFakeSpacely({ apiKeys: [KEY], latencyMs: L });
	cleanups.push(() => fake.close());
	const all = rooms(N);
	const n8n = await benchN8n(cleanups, fake, R, [
		...concurrency.map((c) => workflow(`benchSpacelyC${c}`, all, [spacelyNode(c, R)], {})),
		workflow('benchHttpRaw', all, [httpPostNode(fake.url)], {}),
		workflow('benchHttpBatched', all, [httpPostNode(fake.url, R)], {}),
	]);

	const spacely = [];
	for (const c of concurrency) {
		progress(`Running the Spacely node, concurrency ${c}`);
		const result = await measure(n8n, fake, `benchSpacelyC${c}`, 'Spacely', N, (json) => json.refId);
		const bound = Math.max(Math.ceil(N / c) * L, (Math.ceil(N / R) - 1) * 1000 + L);
		spacely.push({ c, bound, minimum: minimumMs(N, c, L, R), ...result });
	}
	progress('Running the HTTP Request node, unbatched');
	const raw = await measure(n8n, fake, 'benchHttpRaw', 'HTTP Request', N, (json) => json.data);
	progress(`Running the HTTP Request node, batches of ${R} every 1000 ms`);
	const batched = await measure(n8n, fake, 'benchHttpBatched', 'HTTP Request', N, (json) => json.data);
	progress('Timing a bare Node.js client, one request at a time');
	const bareMs = await bareClientMsPerRequest(fake, BARE_CLIENT_REQUESTS);

	report({ N, L, R, spacely, raw, batched, bareMs });
}

function report({ N, L, R, spacely, raw, batched, bareMs }) {
	// Each setting's cost per item: the time beyond what its own schedule needs, over N.
	const batchedBound = (Math.ceil(N / R) - 1) * 1000 + L;
	const batchedCost = Math.max(0, batched.wall - batchedBound) / N;
	const rows = spacely.map((s) => {
		const cost = Math.max(0, s.wall - s.minimum) / N;
		Object.assign(s, { capOk: s.peak <= R, notSlowerOk: s.wall <= batched.wall * (1 + RUN_TO_RUN_SPREAD) });
		return [
			s.c, s.wall, s.bound, (s.wall / s.bound).toFixed(3), s.minimum, s.peak, s.inFlight, cost.toFixed(3),
			(cost - batchedCost).toFixed(3), (s.wall / batched.wall).toFixed(2), (s.wall / raw.wall).toFixed(2),
			verdict(s.notSlowerOk), verdict(s.capOk),
		];
	});
	out(`Spacely node (Max Concurrent Requests = c, Max Requests per Second = ${R})`);
	printTable(
		['c', 'wall ms', 'bound ms', 'wall/bound', 'minimum ms', 'peak/s', 'max in flight', 'cost ms/item', 'vs (b) ms/item', 'vs (b)', 'vs (a)', 'not slower than (b)', `peak<=${R}`],
		rows,
	);
	out(`bound = max(ceil(N/c) x L, (ceil(N/R) - 1) x 1000 ms + L); minimum = the least time any client could take (BENCHMARK.md)`);
	out(`cost ms/item = max(0, wall - minimum) / N; vs (b) ms/item = that less (b)'s own cost per item; vs (x) = wall / wall of (x)`);
	// Read from the build that createN8nHome just made of this working tree.
	const { ARRIVAL_MARGIN_MS } = require('../../dist/nodes/Spacely/scheduling/rateLimiter');
	const marginMs = (Math.ceil(N / R) - 1) * ARRIVAL_MARGIN_MS;
	out(`Where the cap binds, the node adds ${ARRIVAL_MARGIN_MS} ms to every one-second round on purpose (nodes/Spacely/scheduling/rateLimiter.ts): ${marginMs} ms here, counted in its cost.`);
	out();

	out(`Baseline: n8n's HTTP Request node (v4.2), same ${N} items, same fake server`);
	const baselineRow = (name, b, bound) => [name, b.wall, bound, b.peak, b.inFlight, (Math.max(0, b.wall - bound) / N).toFixed(3), verdict(b.peak <= R)];
	printTable(
		['setting', 'wall ms', 'bound ms', 'peak/s', 'max in flight', 'cost ms/item', `peak<=${R}`],
		[baselineRow('(a) unbatched', raw, L), baselineRow(`(b) batch ${R} items every 1000 ms`, batched, batchedBound)],
	);
	if (batched.peak > R) out(`Note: (b) is not actually safe here: its peak of ${batched.peak}/s exceeds the cap of ${R}/s.`);
	out(`Floor: a bare Node.js client (node:http, a new connection per request, no n8n) took ${bareMs.toFixed(2)} ms per request one at a time, ${Math.max(0, bareMs - L).toFixed(2)} ms beyond L.`);
	out();

	out('Targets (issue 10, "Decision on the targets")');
	const failed = (key) => spacely.filter((s) => !s[key]).map((s) => s.c);
	const line = (key, text) => {
		const where = failed(key);
		out(`${verdict(where.length === 0)}  ${text}${where.length ? ` (fails at c = ${where.join(', ')})` : ''}`);
	};
	line('notSlowerOk', `no slower than (b) (${batched.wall} ms) within the run-to-run spread of ${RUN_TO_RUN_SPREAD * 100}%`);
	line('capOk', `peak never above the cap of ${R}/s`);
}

module.exports = { benchPosts, httpPostNode };
