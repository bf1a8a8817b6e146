/**
 * How the fake server's image host (GET /renders/<refId>-<n>.png) and a render's list of image
 * links misbehave, chosen by a marker in the imageUrl of the render's POST (see server.js's header
 * for the list). Every image of such a render misbehaves the same way.
 */

const DEFAULT_IMAGE_COUNT = 4;
const MANY_IMAGE_COUNT = 12;
const TRICKLE_PIECES = 20;

// What a sign-in wall, a CDN error or an expired-link page sends with 200.
const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>Link expired</title></head><body><h1>This link has expired</h1></body></html>';

/** The links a successful poll lists for render `refId`: none, 4, or 12 (fake-images-none / -many). */
function imageLinksFor(imageUrl, baseUrl, refId) {
	let count = DEFAULT_IMAGE_COUNT;
	if (imageUrl.includes('fake-images-none')) count = 0;
	if (imageUrl.includes('fake-images-many')) count = MANY_IMAGE_COUNT;
	return Array.from({ length: count }, (_, index) => `${baseUrl}/renders/${refId}-${index + 1}.png`);
}

/**
 * Answers a GET /renders/<refId>-<n>.png: the n-th image of a render this server issued (the four
 * drawn rooms repeat past the fourth), as its render's marker says.
 * @param {import('./server').LoggedRequest} entry  gets `abortedAt` when the client closes a trickle early
 * @param {import('node:http').ServerResponse} res
 * @param {(status: number, body: any, contentType?: string) => void} answer
 * @param {Map<string, {imageUrl: string}>} renders
 * @param {Buffer[]} images
 * @param {() => number} now  ms since the server started
 */
function serveImage(entry, res, answer, renders, images, now) {
	const [, refId, number] = /^\/renders\/(.+)-(\d+)\.png$/.exec(entry.path) ?? [];
	const render = renders.get(refId);
	const index = Number(number) - 1;
	const count = render ? imageLinksFor(render.imageUrl, '', refId).length : 0;
	if (!render || !(index >= 0 && index < count)) return answer(404, 'Not found', 'text/plain');
	const marker = render.imageUrl;
	const image = images[index % images.length];
	if (marker.includes('fake-images-404')) return answer(404, 'Not found', 'text/plain');
	if (marker.includes('fake-images-html')) return answer(200, HTML_PAGE, 'text/html; charset=utf-8');
	if (marker.includes('fake-images-octet-html')) return answer(200, HTML_PAGE, 'application/octet-stream');
	if (marker.includes('fake-images-untyped')) return answer(200, image, 'application/octet-stream');
	const trickleMs = /fake-images-trickle-(\d+)/.exec(marker)?.[1];
	if (trickleMs) return trickle(entry, res, image, Number(trickleMs), now);
	return answer(200, image, 'image/png');
}

/** Sends the image in pieces spread over `ms`, as a stalled image host does. */
function trickle(entry, res, image, ms, now) {
	entry.status = 200;
	res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': image.length });
	const pieceSize = Math.ceil(image.length / TRICKLE_PIECES);
	let sent = 0;
	const timer = setInterval(() => {
		res.write(image.subarray(sent, sent + pieceSize));
		sent += pieceSize;
		if (sent >= image.length) {
			clearInterval(timer);
			res.end();
		}
	}, ms / TRICKLE_PIECES);
	res.on('close', () => {
		clearInterval(timer);
		if (sent < image.length) entry.abortedAt = now();
	});
}

module.exports = { imageLinksFor, serveImage };
