import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { requestSlotsOf } from '../scheduling/requestSlots';
import { apiError, networkCause } from './errors';
import { isGenericType, isImageType, mediaTypeOf, sniffImageType, textExcerpt } from './imageType';
import type { HttpResponse } from './response';
import { isSuccess } from './response';

const DEFAULT_TIMEOUT_MS = 60_000;
// Enough of a page that is not an image to show what it says.
const EXCERPT_BYTES = 2048;

/** The body of a response asked for as a stream: Node's IncomingMessage, used as far as needed here. */
interface BodyStream extends AsyncIterable<Buffer> {
	destroy(error?: Error): void;
}

/** One image of a finished render, and what names it in an error. */
export interface RenderedImage {
	url: string;
	fileName: string;
	refId: string;
	/** 1-based */
	number: number;
	/** how many images the render has */
	count: number;
}

export interface DownloadOptions {
	/** for the whole file, from when it gets a request slot */
	timeoutMs?: number;
	/** where the user raises the timeout, e.g. "Request Settings → Request Timeout" */
	timeoutField?: string;
	/** how the user fetches a render again, as the node version names it */
	getResultName?: string;
	/** fires when the image is no longer needed (another image of the render failed) */
	stop?: AbortSignal;
}

/**
 * Downloads a rendered image into n8n's binary data store as it arrives, so that a batch of
 * hundreds of images never sits in memory: in filesystem mode n8n writes the stream to its file,
 * in database mode it reads one file at a time into its table. Holds one request slot until the
 * file is stored, so Max Concurrent Requests bounds the files in transit; downloads take a slot
 * after every other request (see requestSlots.ts).
 *
 * Spacely's image URLs are public, so this request carries no credentials: the API key must never
 * travel to a third-party host. Only an image becomes a file: a web page answering 200 (a sign-in
 * wall, an expired link) fails the item, as it would otherwise be posted as a picture. A file the
 * host sends as octet-stream, as object stores do, is read whole and known by its first bytes.
 */
export async function downloadImage(
	ctx: IExecuteFunctions,
	image: RenderedImage,
	itemIndex: number,
	{ timeoutMs = DEFAULT_TIMEOUT_MS, timeoutField, getResultName = 'Get Result', stop }: DownloadOptions = {},
): Promise<IBinaryData> {
	const which = `image ${image.number} of ${image.count} of the render with ref id "${image.refId}"`;
	const getAgain = `The render succeeded and was paid for, so do not start it again: get fresh image links with ${getResultName} and ref id ${image.refId} (image links can expire), and download them.`;
	const fail = (message: string, detail: string) => {
		const error = apiError(ctx, { message, description: `${detail} ${getAgain}` }, itemIndex);
		error.context.refId = image.refId;
		return error;
	};
	const cannotDownload = (detail: string) => fail(`Could not download ${which}`, `${detail} (${image.url}).`);
	const cancelled = ctx.getExecutionCancelSignal();
	const releaseSlot = await requestSlotsOf(ctx)?.acquire(itemIndex, 'download');
	try {
		stop?.throwIfAborted();
		// The request's own timeout ends when the headers arrive; this one covers the whole file.
		const timeout = AbortSignal.timeout(timeoutMs);
		const signal = AbortSignal.any([timeout, ...[cancelled, stop].filter((s) => s !== undefined)]);
		const interrupted = (code?: string) => {
			cancelled?.throwIfAborted();
			stop?.throwIfAborted();
			// The request's own timeout (ECONNABORTED) may fire just before this one.
			if (!timeout.aborted && code !== 'ECONNABORTED' && code !== 'ETIMEDOUT') return undefined;
			const raise = timeoutField ? ` Raise ${timeoutField}, or try later.` : '';
			return fail(
				`${capitalized(which)} did not arrive within ${timeoutMs / 1000} seconds`,
				`Its link ${image.url} was still downloading when the time ran out.${raise}`,
			);
		};
		let response: HttpResponse;
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url: image.url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: timeoutMs,
				abortSignal: signal,
			})) as HttpResponse;
		} catch (error) {
			const { code, text } = networkCause(error);
			throw interrupted(code) ?? cannotDownload(`The connection failed (${code ?? text})`);
		}
		const body = response.body as BodyStream;
		if (!isSuccess(response.statusCode)) {
			body.destroy();
			throw cannotDownload(`The image host answered HTTP ${response.statusCode}`);
		}
		const destroy = () => body.destroy(signal.reason as Error);
		signal.addEventListener('abort', destroy, { once: true });
		let file: StoredFile;
		try {
			file = await storeIfImage(ctx, body, mediaTypeOf(response.headers?.['content-type']), image.fileName);
		} catch (error) {
			const { code, text } = networkCause(error);
			throw interrupted(code) ?? cannotDownload(`The transfer failed (${code ?? text})`);
		} finally {
			signal.removeEventListener('abort', destroy);
		}
		if ('binary' in file) return file.binary;
		const { declared, excerpt } = file;
		const what = declared === 'text/html' ? 'a web page' : 'a file that is not a PNG, JPEG, WebP or GIF image';
		throw fail(
			`${capitalized(which)} is not an image`,
			`Its link ${image.url} answered with ${what} (${declared || 'no type'}${excerpt ? `: "${excerpt}"` : ''}), so no file was made from it.`,
		);
	} finally {
		releaseSlot?.();
	}
}

type StoredFile = { binary: IBinaryData } | { declared: string; excerpt: string };

/**
 * Stores the body as a file when it is an image: streamed when the host says it is one, else
 * known by its first bytes when the host's type says nothing. What else came is described instead.
 */
async function storeIfImage(ctx: IExecuteFunctions, body: BodyStream, declared: string, fileName: string): Promise<StoredFile> {
	if (isImageType(declared)) return { binary: await ctx.helpers.prepareBinaryData(body as never, fileName, declared) };
	if (!isGenericType(declared)) return { declared, excerpt: textExcerpt(await firstBytes(body)) };
	const bytes = await ctx.helpers.binaryToBuffer(body as never);
	const sniffed = sniffImageType(bytes);
	if (sniffed) return { binary: await ctx.helpers.prepareBinaryData(bytes, fileName, sniffed) };
	return { declared, excerpt: textExcerpt(bytes) };
}

/** The start of a body, enough to show what it is; the rest is not read. */
async function firstBytes(body: BodyStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of body) {
		chunks.push(chunk);
		length += chunk.length;
		if (length >= EXCERPT_BYTES) break;
	}
	body.destroy();
	return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES);
}

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Runs one download per image, all or none: the first failure stops the others (which would
 * only hold request slots for files nobody gets) and is the one thrown, once all have ended.
 */
export async function downloadEvery<T>(count: number, download: (index: number, stop: AbortSignal) => Promise<T>): Promise<T[]> {
	const stop = new AbortController();
	const failures: unknown[] = [];
	const stopOthers = (reason: unknown) => {
		if (!stop.signal.aborted) failures.push(reason);
		stop.abort();
	};
	const downloads = Array.from({ length: count }, async (_, index) => await download(index, stop.signal));
	downloads.forEach((each) => each.catch(stopOthers));
	const results = await Promise.allSettled(downloads);
	if (failures.length > 0) throw failures[0];
	return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}
