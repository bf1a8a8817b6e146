/**
 * `npm run bench -- --renders`: N renders of time T through the Spacely node at its defaults
 * (wait, then download the images), in a real n8n, against the hand-built HTTP Request + Wait +
 * IF loop in the same run. The fake server finishes each render T after its POST, serves images
 * of realistic size and logs every request, so it knows when each render was done and when a poll
 * first saw it done. BENCHMARK.md explains the columns and the targets (issue 10).
 */
const { writeFileSync } = require('node:fs');

const { peakPerSecond, startFakeSpacely } = require('../../test/fake-spacely/server');
const { handBuiltWorkflow, spacelyRenderWorkflow } = require('./renderWorkflows');
const { KEY, benchN8n, executeWatched, out, printHeader, printTable, progress, verdict } = require('./shared');

const TARGET_RATIO = 1.3;
const TARGET_POLLS = 3;
const TARGET_RSS_GROWTH_MB = 150;

/** Render time of render `i` in ms: a fixed T, or spread over 5-60 s by a fixed hash of i ("mix"). */
function renderTimeOf(t, i) {
	if (t !== 'mix') return t * 1000;
	const hash = Math.imul(i + 1, 2654435761) >>> 0;
	return 5000 + (hash % 55001);
}

const isApiRequest = (r) => r.path.startsWith('/api/');

/** What the fake server saw of one run, measured from the first POST's arrival. */
function serverView(fake, N, t, L, R) {
	const posts = fake.requests.filter((r) => r.method === 'POST');
	if (posts.length !== N) throw new Error(`expected ${N} render POSTs, the server got ${posts.length}`);
	const t0 = Math.min(...posts.map((r) => r.receivedAt));
	const renders = fake.renderTimes();
	if (renders.some((r) => r.noticedAt === undefined)) throw new Error('a render was never seen done');
	const delays = renders.map((r) => r.noticedAt - r.doneAt).sort((a, b) => a - b);
	const images = fake.requests.filter((r) => r.path.startsWith('/renders/'));
	const polls = fake.requests.filter((r) => r.path === '/api/v1/generate/poll-result').length;
	// The least any client could take, sending in item order as fast as the cap allows and
	// noticing every render the moment it is done: the issue's (ceil(N/R) - 1) s + T + 2L.
	const limit = Math.max(...Array.from({ length: N }, (_, i) => Math.floor(i / R) * 1000 + renderTimeOf(t, i))) + 2 * L;
	return {
		done: Math.max(...renders.map((r) => r.noticedAt)) - t0,
		downloaded: images.length > 0 ? Math.max(...images.map((r) => r.finishedAt ?? r.receivedAt)) - t0 : undefined,
		images: images.length,
		limit,
		pollsPerRender: polls / N,
		medianDelay: delays[Math.floor(delays.length / 2)],
		worstDelay: delays[delays.length - 1],
		peak: peakPerSecond(fake.requests.filter(isApiRequest).map((r) => r.receivedAt)),
	};
}

let dumps = 0;

/** For looking into a run: every request the fake server saw, and every render's times. */
function dumpServerLog(file, fake) {
	const requests = fake.requests.map(({ method, path, query, receivedAt, finishedAt, status }) => ({ method, path, refId: query.refId, receivedAt, finishedAt, status }));
	writeFileSync(file, JSON.stringify({ requests, renders: fake.renderTimes() }));
}

async function runOne(n8n, fake, id, N, t, L, R, expectedImages) {
	fake.reset();
	const { peakRssMb } = await executeWatched(n8n, id);
	const view = serverView(fake, N, t, L, R);
	if (process.env.BENCH_DUMP) dumpServerLog(`${process.env.BENCH_DUMP}-${id}-T${t}-${++dumps}.json`, fake);
	if (expectedImages !== undefined && view.images !== expectedImages) {
		throw new Error(`workflow ${id}: expected ${expectedImages} image downloads, the server served ${view.images}`);
	}
	return { ...view, peakRssMb };
}

async function benchRenders(cleanups, { n: sizes, t: times, latency: L, imageMb, cap: R, quick, flows, concurrency }) {
	printHeader('Spacely node benchmark: renders, waited for and downloaded');
	out(`Fake server: latency L = ${L} ms on every API answer, images of ${imageMb} MB, renders done T after their POST was answered.`);
	const settings = concurrency ? `Max Concurrent Requests ${concurrency}, every other setting` : 'every setting';
	out(`Spacely node: version 2, Render -> Generate Advance, ${settings} at its default (output: image files); credential budget ${R} requests/s.`);
	out(`Hand-built: HTTP Request POST (batches of ${R}/s) -> Wait ${quick ? 2 : 10} s -> HTTP Request poll (batches of ${R}/s) -> IF -> Wait ${quick ? 1 : 5} s loop, then HTTP Request downloads, 100 at a time (Loop Over Items).`);
	out();
	let currentT = times[0];
	const fake = await startFakeSpacely({
		apiKeys: [KEY],
		latencyMs: L,
		imageBytes: Math.round(imageMb * 1e6),
		renderTimeMs: (body) => renderTimeOf(currentT, Number(/room-(\d+)/.exec(body.imageUrl)?.[1] ?? 0)),
	});
	cleanups.push(() => fake.close());

	const rows = [];
	const waits = quick ? { firstWaitS: 2, loopWaitS: 1 } : {};
	const workflows = sizes.flatMap((N) => [
		spacelyRenderWorkflow(`rendersNodeFiles${N}`, N, { downloads: true, concurrency }),
		spacelyRenderWorkflow(`rendersNodeLinks${N}`, N, { downloads: false, concurrency }),
		handBuiltWorkflow(`rendersHandBuilt${N}`, N, fake.url, R, waits),
	]);
	const n8n = await benchN8n(cleanups, fake, R, workflows);
	for (const N of sizes) {
		for (const t of times) {
			currentT = t;
			const label = `N=${N} T=${t === 'mix' ? '5-60 s' : `${t} s`}`;
			const flow = async (name, text, id, images) => {
				if (!flows.includes(name)) return undefined;
				progress(`${label}: ${text}`);
				const result = await runOne(n8n, fake, id, N, t, L, R, images);
				// Also here, so that a run that fails later keeps what was measured.
				progress(`  done ${seconds(result.done)} s, downloaded ${seconds(result.downloaded)} s, limit ${seconds(result.limit)} s, ${result.pollsPerRender.toFixed(2)} polls/render, delay median ${seconds(result.medianDelay)} s worst ${seconds(result.worstDelay)} s, peak ${result.peak}/s, RSS ${mb(result.peakRssMb)} MB`);
				return result;
			};
			const node = await flow('files', 'the Spacely node, downloading', `rendersNodeFiles${N}`, 4 * N);
			const links = await flow('links', 'the Spacely node, links only', `rendersNodeLinks${N}`, 0);
			const hand = await flow('loop', 'the hand-built loop', `rendersHandBuilt${N}`, 4 * N);
			rows.push({ label, N, t, node, links, hand });
		}
	}
	report(rows, R);
}

const seconds = (ms) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
const mb = (value) => (value === undefined ? '-' : value.toFixed(0));

function report(rows, R) {
	const line = (label, flow, r) => [
		label, flow, seconds(r.done), seconds(r.downloaded), seconds(r.limit), (r.done / r.limit).toFixed(2),
		r.pollsPerRender.toFixed(2), seconds(r.medianDelay), seconds(r.worstDelay), r.peak, mb(r.peakRssMb),
	];
	const flows = ({ node, links, hand }) =>
		[['Spacely node', node], ['Spacely node, links only', links], ['hand-built loop', hand]].filter(([, r]) => r);
	printTable(
		['run', 'flow', 'done s', 'downloaded s', 'limit s', 'done/limit', 'polls/render', 'median delay s', 'worst delay s', 'peak/s', 'peak RSS MB'],
		rows.flatMap((row) => flows(row).map(([name, r], i) => line(i === 0 ? row.label : '', name, r))),
		2,
	);
	out('done = until a poll had seen every render done; downloaded = until the last image was sent; both from the first POST, at the fake server.');
	out('limit = (ceil(N/R) - 1) s + T + 2L (for the mix: the largest of floor(i/R) s + T_i + 2L over the renders i, in order); delay = from a render being done to a poll seeing it done.');
	out();
	out('Targets (issue 10)');
	for (const { label, t, node, links, hand } of rows) {
		const checks = [];
		if (node && hand) checks.push([`faster than the hand-built loop (done ${seconds(node.done)} s vs ${seconds(hand.done)} s)`, node.done < hand.done]);
		for (const [name, r] of [['', node], [', links only', links]].filter(([, r]) => r)) {
			if (t !== 'mix') checks.push([`within ${TARGET_RATIO}x of the limit${name} (${(r.done / r.limit).toFixed(2)})`, r.done <= TARGET_RATIO * r.limit]);
			checks.push([`at most ${TARGET_POLLS} polls per render${name} (${r.pollsPerRender.toFixed(2)})`, r.pollsPerRender <= TARGET_POLLS]);
			checks.push([`peak never above the cap of ${R}/s${name} (${r.peak})`, r.peak <= R]);
		}
		if (node?.peakRssMb !== undefined && links?.peakRssMb !== undefined) {
			const growth = node.peakRssMb - links.peakRssMb;
			checks.push([`RSS growth from downloads under ${TARGET_RSS_GROWTH_MB} MB (${growth.toFixed(0)} MB)`, growth < TARGET_RSS_GROWTH_MB]);
		}
		for (const [text, pass] of checks) out(`${verdict(pass)}  ${label}: ${text}`);
	}
}

module.exports = { benchRenders };
