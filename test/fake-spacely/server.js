/**
 * A fake Spacely API on 127.0.0.1 that behaves as ../shared/spacely-api.md describes, for tests, the
 * demo and the benchmark. It never talks to the real API.
 *
 * Render endpoints: POST /api/v1/generate/<advance | standard | style-transfer | furniture-placement |
 * decoration-placement | two-point-perspective>, each checking its body strictly (./endpoints.js:
 * 400 {"message": "<field> ..."} or "unknown field <name> ..."), then GET /api/v1/generate/poll-result.
 *
 * Faults are chosen per item through the imageUrl of any render POST, so a workflow file can mix good
 * and bad items. Those that answer the POST itself do so before the body is checked; the others
 * (fake-render-*, fake-poll-500-once) need a valid body:
 *   .../fake-status-<code>...   answer the POST with that HTTP status and {"message": ...}
 *   .../fake-empty-500...       500 with no body
 *   .../fake-html-502...        502 with an HTML page, as a proxy sends
 *   .../fake-no-data...         200 with {} (no ref id)
 *   .../fake-text-200...        200 with a plain-text body
 *   .../fake-drop...            close the connection without answering
 *   .../fake-slow-<ms>...       answer after that many milliseconds
 *   .../fake-render-fails...    accept the POST; polls then report status "failed"
 *   .../fake-render-never...    accept the POST; polls report "processing" forever
 *   .../fake-poll-500-once...   accept the POST; the first poll gets a 500
 *   .../fake-echo-key...        400 whose message repeats the API key it received (a careless API)
 *   .../fake-ok-echoing-key...  200 without a ref id, its message repeating the API key (faults.js has more)
 *   .../fake-429-then-ok-<s>... the first POST for this URL gets 429 with Retry-After: <s>, later ones succeed
 *   .../fake-429-date-<s>...    the same, with Retry-After as an HTTP date <s> seconds ahead
 *   .../fake-429-always...      429 without Retry-After, every time
 *   .../fake-500-once...        the first POST for this URL gets 500, later ones succeed
 *   .../fake-redirect...        307 to /moved on this server (which answers 404)
 *   .../fake-render-ms-<n>...   accept the POST; the render succeeds <n> ms after the POST was answered
 *                               (overrides the renderTimeMs option and pollsUntilDone for this item)
 * Image faults, from ./image-faults.js (every image of the render alike):
 *   .../fake-images-html...     its image URLs answer 200 with an HTML page (a sign-in wall, a CDN error)
 *   .../fake-images-octet-html... the same page sent as application/octet-stream
 *   .../fake-images-trickle-<ms>... each image arrives in pieces over <ms> milliseconds; a request
 *                               closed before its last piece gets `abortedAt` in the log
 *   .../fake-images-none...     the render succeeds with no image links
 *   .../fake-images-many...     the render succeeds with 12 image links
 *   .../fake-images-404...      the render's image URLs answer 404 (an expired link)
 *   .../fake-images-untyped...  its images come as application/octet-stream, as object stores often send
 * Faults from ./faults.js:
 *   .../fake-reset...           read the POST, then reset the connection (the render may have started)
 *   .../fake-truncated-json...  200 with JSON cut off mid-way
 *   .../fake-empty-json...      200, Content-Type application/json, empty body
 *   .../fake-failed-no-result...  accept the POST; polls answer {"data": {"status": "failed"}}, no result
 *   .../fake-poll-<fault>-<ms>...  accept the POST; for <ms> after it was answered, every poll gets
 *                               <fault>: outage (503 with nginx's HTML page), truncated, empty, reset
 *                               (as above), denied (403); then polls answer as usual (999999: always)
 *
 * Options: see startFakeSpacely below (apiKeys, latencyMs, pollsUntilDone, renderTimeMs, imageBytes,
 * port).
 *
 * Plain JavaScript so that the demo and the benchmark can run it without a TypeScript step.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');

const { parseJson, readBody } = require('../helpers/http-body');
const { invalidBody, MODELS, RENDER_ENDPOINTS, RENOVATE_TYPES } = require('./endpoints');
const { pollFault, postFault } = require('./faults');
const { renderImage } = require('./render-image');
const { imageLinksFor, serveImage } = require('./image-faults');

// What the fake renders look like: four drawn rooms, made once.
const RENDER_IMAGES = [1, 2, 3, 4].map((n) => renderImage(n));

/**
 * @typedef {object} LoggedRequest
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} rawBody
 * @property {any} body        parsed JSON, or undefined when the body was not JSON
 * @property {number} receivedAt  ms since the server started
 * @property {number} [finishedAt] ms since the server started, when the answer's last byte was handed to the OS
 * @property {number} [abortedAt] ms since the server started, when the client closed an unfinished answer
 * @property {number} status
 * @property {number} inFlight   requests being handled when this one arrived, itself included
 * @property {string} [refId]    the ref id this request was given
 */

/**
 * @param {object} [options]
 * @param {string[]} [options.apiKeys]        keys that are accepted (default ['test-key'])
 * @param {number} [options.latencyMs]        added to every API answer (default 0)
 * @param {number} [options.pollsUntilDone]   polls that answer "processing" before "success" (default 1)
 * @param {number | ((body: any, endpoint: string) => number | undefined)} [options.renderTimeMs]  when
 *   given, a render succeeds this many ms after its POST was answered, however often it is polled
 *   (a function gets the POST's body and endpoint name, e.g. 'standard'; undefined: pollsUntilDone)
 * @param {number} [options.imageBytes]       when given, each rendered PNG is padded to at least this size
 * @param {number} [options.port]             default 0: a free port
 */
async function startFakeSpacely(options = {}) {
	const apiKeys = options.apiKeys ?? ['test-key'];
	const latencyMs = options.latencyMs ?? 0;
	const pollsUntilDone = options.pollsUntilDone ?? 1;
	const renderTimeMs = options.renderTimeMs;
	const imageBytes = options.imageBytes;
	const renderImages = imageBytes ? [1, 2, 3, 4].map((n) => renderImage(n, imageBytes)) : RENDER_IMAGES;
	const startedAt = Date.now();

	/** @type {LoggedRequest[]} */
	const requests = [];
	/** @type {Map<string, {imageUrl: string, endpoint: string, polls: number, startedAt: number, readyAt?: number, seenDoneAt?: number}>} */
	const renders = new Map();
	/** @type {Map<string, number>} POSTs received per image URL */
	const postsPerImage = new Map();
	let inFlight = 0;
	let maxInFlight = 0;

	const server = http.createServer(async (req, res) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		const rawBody = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		/** @type {LoggedRequest} */
		const entry = {
			method: req.method ?? '',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			rawBody,
			body: parseJson(rawBody),
			receivedAt: Date.now() - startedAt,
			status: 0,
			inFlight,
		};
		requests.push(entry);
		res.on('close', () => inFlight--);
		res.on('finish', () => (entry.finishedAt = Date.now() - startedAt));

		const answer = (status, body, contentType = 'application/json', headers = {}) => {
			entry.status = status;
			const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
			res.writeHead(status, body === undefined ? headers : { 'Content-Type': contentType, ...headers });
			res.end(body === undefined ? undefined : payload);
		};

		if (entry.path.startsWith('/renders/')) {
			return serveImage(entry, res, answer, renders, renderImages, () => Date.now() - startedAt);
		}
		await sleep(latencyMs);
		if (!apiKeys.includes(String(req.headers['x-api-key'] ?? ''))) {
			return answer(401, { message: 'API key invalid or missing' });
		}
		const endpoint = /^\/api\/v1\/generate\/([a-z-]+)$/.exec(entry.path)?.[1] ?? '';
		if (entry.method === 'POST' && RENDER_ENDPOINTS.includes(endpoint)) {
			return startRender(entry, endpoint, answer, res);
		}
		if (entry.method === 'GET' && entry.path === '/api/v1/generate/poll-result') {
			return pollResult(entry, answer, res);
		}
		return answer(404, { message: `Not found: ${entry.method} ${entry.path}` });
	});

	async function startRender(entry, endpoint, answer, res) {
		const body = entry.body;
		if (!body || typeof body !== 'object') return answer(400, { message: 'Body must be a JSON object' });
		const imageUrl = String(body.imageUrl ?? '');
		const attempt = (postsPerImage.get(imageUrl) ?? 0) + 1;
		postsPerImage.set(imageUrl, attempt);
		const tooMany = { message: 'Too many requests' };
		const retryAfter = /fake-429-then-ok-(\d+)/.exec(imageUrl);
		if (retryAfter && attempt === 1) return answer(429, tooMany, 'application/json', { 'Retry-After': retryAfter[1] });
		const retryAt = /fake-429-date-(\d+)/.exec(imageUrl);
		if (retryAt && attempt === 1) {
			const date = new Date(Date.now() + Number(retryAt[1]) * 1000).toUTCString();
			return answer(429, tooMany, 'application/json', { 'Retry-After': date });
		}
		if (imageUrl.includes('fake-429-always')) return answer(429, tooMany);
		if (imageUrl.includes('fake-500-once') && attempt === 1) return answer(500, { message: 'Temporary failure' });
		if (imageUrl.includes('fake-redirect')) {
			return answer(307, { message: 'Moved' }, 'application/json', { Location: `http://${entry.headers.host}/moved` });
		}
		const slow = /fake-slow-(\d+)/.exec(imageUrl);
		if (slow) await sleep(Number(slow[1]));
		const forced = /fake-status-(\d{3})/.exec(imageUrl);
		if (forced) return answer(Number(forced[1]), { message: `Forced status ${forced[1]} for testing` });
		if (imageUrl.includes('fake-echo-key')) {
			return answer(400, { message: `Key ${entry.headers['x-api-key']} may not render this image` });
		}
		if (imageUrl.includes('fake-empty-500')) return answer(500, undefined);
		if (imageUrl.includes('fake-html-502')) {
			return answer(502, '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>', 'text/html');
		}
		if (imageUrl.includes('fake-drop')) return res.socket?.destroy();
		if (imageUrl.includes('fake-no-data')) return answer(200, {});
		if (imageUrl.includes('fake-text-200')) return answer(200, 'OK', 'text/plain');
		const fault = postFault(imageUrl);
		if (fault) return fault(answer, res, entry.headers);

		const problem = invalidBody(endpoint, body);
		if (problem) return answer(400, { message: problem });
		const refId = randomUUID();
		const renderMs =
			/fake-render-ms-(\d+)/.exec(imageUrl)?.[1] ??
			(typeof renderTimeMs === 'function' ? renderTimeMs(body, endpoint) : renderTimeMs);
		const readyAt = renderMs === undefined ? undefined : Date.now() + Number(renderMs);
		renders.set(refId, { imageUrl, endpoint, polls: 0, startedAt: Date.now(), readyAt });
		entry.refId = refId;
		return answer(200, { data: refId });
	}

	function pollResult(entry, answer, res) {
		const render = renders.get(entry.query.refId ?? '');
		if (!render) return answer(400, { message: `refId not found: ${entry.query.refId ?? ''}` });
		render.polls++;
		const fault = pollFault(render, Date.now());
		if (fault) return fault(answer, res);
		if (render.imageUrl.includes('fake-poll-500-once') && render.polls === 1) {
			return answer(500, { message: 'Temporary failure' });
		}
		if (render.imageUrl.includes('fake-render-fails')) {
			return answer(200, { data: { status: 'failed', result: [] } });
		}
		const processing = { data: { status: 'processing', result: [] } };
		if (render.imageUrl.includes('fake-render-never')) return answer(200, processing);
		const done = render.readyAt === undefined ? render.polls > pollsUntilDone : Date.now() >= render.readyAt;
		if (!done) return answer(200, processing);
		render.seenDoneAt ??= Date.now();
		const result = imageLinksFor(render.imageUrl, baseUrl, entry.query.refId);
		return answer(200, { data: { status: 'success', result } });
	}

	await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const baseUrl = `http://127.0.0.1:${address.port}`;

	return {
		url: baseUrl,
		requests,
		/** ref ids this server has issued, in the order it answered */
		issuedRefIds: () => [...renders.keys()],
		/** the ref id issued for a POST with this image URL */
		refIdFor: (/** @type {string} */ imageUrl) =>
			requests.findLast((r) => r.refId && r.body?.imageUrl === imageUrl)?.refId,
		pollCount: (/** @type {string} */ refId) => renders.get(refId)?.polls ?? 0,
		/** ref ids issued by POST /api/v1/generate/<endpoint>, e.g. rendersOf('standard') */
		rendersOf: (/** @type {string} */ endpoint) =>
			[...renders].filter(([, render]) => render.endpoint === endpoint).map(([refId]) => refId),
		/**
		 * Each render: when its POST was answered, when it was done (with renderTimeMs or
		 * fake-render-ms-<n>) and when a poll first saw it done, in ms since the server started,
		 * and how often it was polled.
		 */
		renderTimes: () =>
			[...renders].map(([refId, render]) => ({
				refId,
				postedAt: render.startedAt - startedAt,
				doneAt: render.readyAt === undefined ? undefined : render.readyAt - startedAt,
				noticedAt: render.seenDoneAt === undefined ? undefined : render.seenDoneAt - startedAt,
				polls: render.polls,
			})),
		maxInFlight: () => maxInFlight,
		/** the most requests that arrived within any one-second window */
		peakPerSecond: () => peakPerSecond(requests.map((r) => r.receivedAt)),
		/** requests received in each whole second since the server started: [second 0, second 1, ...] */
		requestsPerSecond() {
			const counts = new Array(Math.floor((Date.now() - startedAt) / 1000) + 1).fill(0);
			for (const r of requests) counts[Math.floor(r.receivedAt / 1000)]++;
			return counts;
		},
		reset() {
			requests.length = 0;
			renders.clear();
			postsPerImage.clear();
			maxInFlight = 0;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The most of these times (ms) that fall within any one-second window, as Spacely counts requests.
 * @param {number[]} times
 */
function peakPerSecond(times) {
	const sorted = [...times].sort((a, b) => a - b);
	let peak = 0;
	for (let first = 0, last = 0; last < sorted.length; last++) {
		while (sorted[last] - sorted[first] >= 1000) first++;
		peak = Math.max(peak, last - first + 1);
	}
	return peak;
}

module.exports = { startFakeSpacely, peakPerSecond, MODELS, RENOVATE_TYPES, RENDER_ENDPOINTS };

// `node test/fake-spacely/server.js [port]` runs it on its own and prints its URL.
if (require.main === module) {
	startFakeSpacely({ port: Number(process.argv[2] ?? 0) }).then((fake) => {
		console.log(`Fake Spacely API listening on ${fake.url} (accepted key: test-key)`);
	});
}
