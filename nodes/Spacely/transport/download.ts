import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { requestSlotsOf } from '../scheduling/requestSlots';
import { apiError, networkCause } from './errors';
import type { HttpResponse } from './response';
import { isSuccess } from './response';

const DEFAULT_TIMEOUT_MS = 60_000;

/** The body of a response asked for as a stream: Node's IncomingMessage, used as far as needed here. */
interface BodyStream extends AsyncIterable<unknown> {
	destroy(error?: Error): void;
}

/**
 * Downloads a rendered image into n8n's binary data store as it arrives, so that a batch of
 * hundreds of images never sits in memory: in filesystem mode n8n writes the stream to its file,
 * in database mode it reads one file at a time into its table. Holds one request slot until the
 * file is stored, so Max Concurrent Requests bounds the files in transit; downloads take a slot
 * after every other request (see requestSlots.ts).
 *
 * Spacely's image URLs are public, so this request carries no credentials: the API key must never
 * travel to a third-party host. A file the host sends without a type (or as octet-stream) is read
 * whole instead, so that n8n can tell its type from its first bytes, as it does for a buffer.
 */
export async function downloadImage(
	ctx: IExecuteFunctions,
	url: string,
	fileName: string,
	itemIndex: number,
	timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<IBinaryData> {
	const fail = (detail: string) =>
		apiError(
			ctx,
			{ message: `Could not download the image ${url}`, description: `${detail} The image URL came from Spacely's result.` },
			itemIndex,
		);
	const cancelled = ctx.getExecutionCancelSignal();
	// The request's own timeout ends when the headers arrive; this one covers the whole file.
	const timeout = AbortSignal.timeout(timeoutMs);
	const signal = cancelled ? AbortSignal.any([cancelled, timeout]) : timeout;
	const releaseSlot = await requestSlotsOf(ctx)?.acquire(itemIndex, 'download');
	try {
		let response: HttpResponse;
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: timeoutMs,
				abortSignal: signal,
			})) as HttpResponse;
		} catch (error) {
			const { code, text } = networkCause(error);
			throw fail(`The connection failed (${code ?? text}).`);
		}
		const body = response.body as BodyStream;
		if (!isSuccess(response.statusCode)) {
			body.destroy();
			throw fail(`The image host answered HTTP ${response.statusCode}.`);
		}
		const stop = () => body.destroy(signal.reason as Error);
		signal.addEventListener('abort', stop, { once: true });
		try {
			const mimeType = typeOf(response);
			const data = mimeType ? body : await ctx.helpers.binaryToBuffer(body as never);
			return await ctx.helpers.prepareBinaryData(data as never, fileName, mimeType);
		} catch (error) {
			cancelled?.throwIfAborted();
			const { code, text } = networkCause(error);
			throw fail(timeout.aborted ? `It did not arrive within ${timeoutMs / 1000} s.` : `The transfer failed (${code ?? text}).`);
		} finally {
			signal.removeEventListener('abort', stop);
		}
	} finally {
		releaseSlot?.();
	}
}

/** The file's type as the host sends it, unless it says nothing useful. */
function typeOf(response: HttpResponse): string | undefined {
	const header = response.headers?.['content-type'];
	const type = (Array.isArray(header) ? header[0] : header)?.split(';')[0].trim();
	return type && type !== 'application/octet-stream' ? type : undefined;
}
