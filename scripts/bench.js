#!/usr/bin/env node
/**
 * `npm run bench`: throughput of the Spacely node against the fake Spacely server, in a real n8n
 * (scripts/n8n-runtime.js) through its CLI, with n8n's HTTP Request node as the baseline.
 *
 *   npm run bench -- [--items 200] [--latency 100] [--concurrency 1,5,10,25,50] [--cap 50]
 *   SPACELY_N8N_LINE=oldest npm run bench    on the oldest pinned n8n instead of the newest
 *
 * Progress goes to stderr, the report to stdout. See BENCHMARK.md for what the columns mean.
 */
const { execFileSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { REPO_DIR, createN8nHome, describeLine, lastLine, n8nLine, runScript } = require('./n8n-runtime');
const { startFakeSpacely } = require('../test/fake-spacely/server');
const { formatTable } = require('./table');

const KEY = 'bench-key';
const TARGET_RATIO = 1.15;
const TARGET_OVERHEAD_MS = 1;
const BARE_CLIENT_REQUESTS = 50;

const progress = (line) => process.stderr.write(`${line}\n`);
const out = (line = '') => process.stdout.write(`${line}\n`);

function parseArgs(argv) {
	const args = { items: 200, latency: 100, concurrency: [1, 5, 10, 25, 50], cap: 50 };
	for (let i = 0; i < argv.length; i += 2) {
		const [flag, value] = [argv[i].replace(/^--/, ''), argv[i + 1]];
		if (!(flag in args) || value === undefined) throw new Error(`unknown flag or missing value: ${argv[i]}`);
		const numbers = value.split(',').map(Number);
		if (numbers.some((n) => !Number.isInteger(n) || n < (flag === 'latency' ? 0 : 1))) {
			throw new Error(`--${flag} needs ${flag === 'latency' ? 'a whole number >= 0' : 'whole numbers >= 1'}, got "${value}"`);
		}
		args[flag] = flag === 'concurrency' ? numbers : numbers[0];
	}
	return args;
}

function workflow(id, node, items) {
	const rooms = Array.from({ length: items }, (_, i) => ({
		photo: `https://example.com/bench/room-${i}.jpg`,
		model: 'spacely-v1',
		style: ['modern', 'scandinavian', 'industrial_loft'][i % 3],
		avoid: '',
		renovateType: 'residential',
	}));
	const chain = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{ name: 'Rooms', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rooms }), options: {} } },
		{ name: 'One Item per Room', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'rooms', options: {} } },
		node,
	];
	const connections = {};
	for (let i = 0; i < chain.length - 1; i++) {
		connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	}
	const nodes = chain.map((n, i) => ({ id: `${id}-${i}`, position: [i * 220, 0], ...n }));
	return { id, name: `Bench: ${id}`, active: false, settings: { executionOrder: 'v1' }, pinData: {}, nodes, connections };
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
		credentials: { spacelyApi: { id: 'benchCred', name: 'Spacely (bench)' } },
	};
}

function httpRequestNode(url, batchSize) {
	const field = (name, expression) => ({ name, value: `={{ $json.${expression} }}` });
	return {
		name: 'HTTP Request',
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
			bodyParameters: {
				parameters: [field('model', 'model'), field('imageUrl', 'photo'), field('prompt', 'style'), field('nPrompt', 'avoid'), field('renovateType', 'renovateType')],
			},
			options: batchSize ? { batching: { batch: { batchSize, batchInterval: 1000 } } } : {},
		},
	};
}

/**
 * The least time any client could take for N requests of L ms each, with at most c in flight and at
 * most R sent within any 1000 ms: each request starts as early as both rules allow. The issue's
 * bound assumes all R of a second can start at once, which c < R does not allow (c = 10: 3.5 s,
 * not 3.1 s), so a node's own overhead is measured against this instead.
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

/**
 * Ms per request of a bare Node.js client (node:http, a new connection per request as n8n makes,
 * no n8n) sending one request at a time to the fake server: what this server and machine take
 * beyond L, whoever the client is.
 */
async function bareClientMsPerRequest(fake, count) {
	const post = (i) =>
		new Promise((resolve, reject) => {
			const body = JSON.stringify({ model: 'spacely-v1', imageUrl: `https://example.com/bare/${i}.jpg`, prompt: '', nPrompt: '', renovateType: 'residential' });
			const headers = { 'Content-Type': 'application/json', 'X-API-KEY': KEY };
			const options = { method: 'POST', headers, agent: false };
			const request = http.request(`${fake.url}/api/v1/generate/advance`, options, (response) => {
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
	const { ok, run, output } = await n8n.execute(id);
	const error = run?.data.resultData.error?.message;
	if (!ok || !run) throw new Error(`workflow ${id} failed: ${error ?? lastLine(output)}`);
	const nodeRun = run.data.resultData.runData[nodeName][0];
	const results = nodeRun.data?.main[0] ?? [];
	const issued = new Set(fake.issuedRefIds());
	const posts = fake.requests.filter((r) => r.method === 'POST').length;
	if (results.length !== items || posts !== items || !results.every((r) => issued.has(refIdOf(r.json)))) {
		throw new Error(`workflow ${id}: expected ${items} items with ref ids from ${items} POSTs, got ${results.length} items from ${posts} POSTs`);
	}
	return { wall: nodeRun.executionTime, peak: fake.peakPerSecond(), inFlight: fake.maxInFlight() };
}

function printTable(header, rows) {
	// Text in the first column is left-aligned, numbers and verdicts right-aligned.
	for (const line of formatTable(header, rows, 1)) out(line);
}

function gitDescription() {
	try {
		const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, stdio: 'pipe' }).toString().trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], { cwd: REPO_DIR, stdio: 'pipe' }).toString().trim();
		return `commit ${commit}${dirty ? ' + uncommitted changes in nodes/ or credentials/' : ''}`;
	} catch {
		return 'not a git checkout';
	}
}

async function main(cleanups) {
	const { items: N, latency: L, concurrency, cap: R } = parseArgs(process.argv.slice(2));
	const cpus = os.cpus();
	out(`Spacely node benchmark, ${new Date().toISOString()}`);
	out(`Runs in a real ${describeLine(n8nLine())} through its CLI (one "n8n execute" process per row), against the fake Spacely server on 127.0.0.1.`);
	out(`Times are the node's own executionTime from n8n's run data (not the CLI process's wall time).`);
	out(`Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}, load average ${os.loadavg()[0].toFixed(2)} at start`);
	out(`Package: n8n-nodes-spacely (${gitDescription()})`);
	out(`N = ${N} items, fake server latency L = ${L} ms, cap R = ${R} requests/s (Spacely's own limit is 100/s)`);
	out();

	const fake = await startFakeSpacely({ apiKeys: [KEY], latencyMs: L });
	cleanups.push(() => fake.close());
	progress('Building and packing this package, then installing it into a throwaway n8n');
	const n8n = await createN8nHome({ log: progress });
	cleanups.push(() => n8n.cleanup());

	progress('Importing the credential and the benchmark workflows');
	await n8n.importCredentials([{ id: 'benchCred', name: 'Spacely (bench)', type: 'spacelyApi', data: { apiKey: KEY, baseUrl: fake.url } }]);
	const folder = path.join(n8n.userFolder, 'bench-workflows');
	mkdirSync(folder);
	const workflows = [
		...concurrency.map((c) => workflow(`benchSpacelyC${c}`, spacelyNode(c, R), N)),
		workflow('benchHttpRaw', httpRequestNode(fake.url), N),
		workflow('benchHttpBatched', httpRequestNode(fake.url, R), N),
	];
	for (const wf of workflows) {
		const file = path.join(folder, `${wf.id}.json`);
		writeFileSync(file, JSON.stringify(wf));
		await n8n.importWorkflow(file);
	}

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

const verdict = (pass) => (pass ? 'PASS' : 'FAIL');

function report({ N, L, R, spacely, raw, batched, bareMs }) {
	printSpacelyTable(N, R, spacely, raw, batched);
	printBaselines(N, L, R, raw, batched, bareMs);
	printTargets(R, spacely, batched, Math.max(0, bareMs - L));
}

function printSpacelyTable(N, R, spacely, raw, batched) {
	const rows = spacely.map((s) => {
		const overhead = Math.max(0, s.wall - s.minimum) / N;
		Object.assign(s, {
			ratioOk: s.wall / s.bound <= TARGET_RATIO,
			capOk: s.peak <= R,
			fasterOk: s.wall < batched.wall,
			overheadOk: overhead < TARGET_OVERHEAD_MS,
		});
		return [
			s.c, s.wall, s.bound, (s.wall / s.bound).toFixed(3), s.minimum, s.peak, s.inFlight, overhead.toFixed(3),
			(s.wall / batched.wall).toFixed(2), (s.wall / raw.wall).toFixed(2),
			verdict(s.ratioOk), verdict(s.capOk), verdict(s.fasterOk), verdict(s.overheadOk),
		];
	});
	out(`Spacely node (Max Concurrent Requests = c, Max Requests per Second = ${R})`);
	printTable(
		['c', 'wall ms', 'bound ms', 'wall/bound', 'minimum ms', 'peak/s', 'max in flight', 'overhead ms/item', 'vs (b)', 'vs (a)', `<=${TARGET_RATIO}x bound`, `peak<=${R}`, 'faster than (b)', `overhead<${TARGET_OVERHEAD_MS}ms`],
		rows,
	);
	out(`bound = max(ceil(N/c) x L, (ceil(N/R) - 1) x 1000 ms + L); minimum = the least time any client could take (BENCHMARK.md)`);
	out(`overhead ms/item = max(0, wall - minimum) / N; vs (x) = wall / wall of baseline (x)`);
	// Read from the build that createN8nHome just made of this working tree.
	const { ARRIVAL_MARGIN_MS } = require('../dist/nodes/Spacely/scheduling/rateLimiter');
	const marginMs = (Math.ceil(N / R) - 1) * ARRIVAL_MARGIN_MS;
	out(`Where the cap binds, the node adds ${ARRIVAL_MARGIN_MS} ms to every one-second round on purpose (nodes/Spacely/scheduling/rateLimiter.ts): ${marginMs} ms here, counted in the overhead.`);
	out();
}

function printBaselines(N, L, R, raw, batched, bareMs) {
	out(`Baseline: n8n's HTTP Request node (v4.2), same ${N} items, same fake server`);
	// The same overhead measure as above, against each setting's own schedule: (a) sends everything
	// at once, so L; (b) starts its last batch after ceil(N/R) - 1 intervals.
	const baselineRow = (name, b, bound) => [name, b.wall, bound, b.peak, b.inFlight, (Math.max(0, b.wall - bound) / N).toFixed(3), verdict(b.peak <= R)];
	printTable(
		['setting', 'wall ms', 'bound ms', 'peak/s', 'max in flight', 'overhead ms/item', `peak<=${R}`],
		[
			baselineRow('(a) unbatched', raw, L),
			baselineRow(`(b) batch ${R} items every 1000 ms`, batched, (Math.ceil(N / R) - 1) * 1000 + L),
		],
	);
	if (batched.peak > R) out(`Note: (b) is not actually safe here: its peak of ${batched.peak}/s exceeds the cap of ${R}/s.`);
	out();
	out(`Floor: a bare Node.js client (node:http, a new connection per request, no n8n) sending ${BARE_CLIENT_REQUESTS} requests one at a time`);
	out(`took ${bareMs.toFixed(2)} ms per request, ${Math.max(0, bareMs - L).toFixed(2)} ms beyond L: that much of each item's overhead at c = 1 is this server's and machine's.`);
	out();
}

/** The four targets, each with the concurrencies where it failed and where no client could meet it. */
function printTargets(R, spacely, batched, floorMs) {
	const summary = (name, key, outOfReach, why) => {
		const failed = spacely.filter((s) => !s[key]).map((s) => s.c);
		const unreachable = spacely.filter(outOfReach).map((s) => s.c);
		const notes = [
			failed.length ? `fails at c = ${failed.join(', ')}` : '',
			unreachable.length ? `${why} at c = ${unreachable.join(', ')}` : '',
		].filter(Boolean);
		out(`${verdict(failed.length === 0)}  ${name}${notes.length ? ` (${notes.join('; ')})` : ''}`);
	};
	out('Targets');
	summary(`within ${TARGET_RATIO}x of the lower bound at every concurrency`, 'ratioOk', (s) => s.minimum / s.bound > TARGET_RATIO, 'the minimum itself misses it');
	summary(`peak never above the cap of ${R}/s`, 'capOk', () => false, '');
	summary(`faster than the safe HTTP Request setting (b) (${batched.wall} ms)`, 'fasterOk', (s) => s.minimum >= batched.wall, 'the minimum itself is slower');
	summary(`node overhead below ${TARGET_OVERHEAD_MS} ms per item`, 'overheadOk', (s) => s.c === 1 && floorMs >= TARGET_OVERHEAD_MS, 'the measured floor alone is over it');
}

runScript('Benchmark', main);
