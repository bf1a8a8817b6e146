/**
 * Faults of the fake Spacely server (./server.js lists every image URL marker), answered the way
 * a real API, or a proxy in front of it, misbehaves.
 */

/** nginx's page for a backend that is down, as a proxy in front of an API sends it */
const proxyPage = (status) =>
	`<html>\r\n<head><title>${status} Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>${status} Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/**
 * @typedef {(status: number, body?: unknown, contentType?: string) => void} Answer
 * @typedef {(answer: Answer, res: import('node:http').ServerResponse, headers: import('node:http').IncomingHttpHeaders) => void} Fault
 */

/** @type {Record<string, Fault>} */
const FAULTS = {
	// The request was read, then the connection is reset (a TCP RST), no answer.
	reset: (_answer, res) => res.socket?.resetAndDestroy(),
	outage: (answer) => answer(503, proxyPage(503), 'text/html'),
	truncated: (answer) => answer(200, '{"data": {"status": "proc', 'application/json'),
	empty: (answer) => answer(200, '', 'application/json'),
	denied: (answer) => answer(403, { message: 'Forbidden' }),
};

/** The fault a render POST with this image URL gets, or undefined. */
function postFault(imageUrl) {
	if (imageUrl.includes('fake-reset')) return FAULTS.reset;
	// 200 without a ref id, repeating the key it was sent (a careless API)
	if (imageUrl.includes('fake-ok-echoing-key')) {
		return (answer, _res, headers) => answer(200, { message: `queued for key ${headers['x-api-key']}` });
	}
	if (imageUrl.includes('fake-truncated-json')) return (answer) => answer(200, '{"data": "4f0c1a', 'application/json');
	if (imageUrl.includes('fake-empty-json')) return FAULTS.empty;
	return undefined;
}

/**
 * The fault a poll of this render gets `now` (ms, as Date.now()), or undefined.
 * @param {{imageUrl: string, startedAt: number}} render
 * @param {number} now
 */
function pollFault(render, now) {
	if (render.imageUrl.includes('fake-failed-no-result')) return (answer) => answer(200, { data: { status: 'failed' } });
	const [, kind, ms] = /fake-poll-(outage|truncated|empty|reset|denied)-(\d+)/.exec(render.imageUrl) ?? [];
	if (!kind || now - render.startedAt >= Number(ms)) return undefined;
	return FAULTS[kind];
}

module.exports = { postFault, pollFault };
