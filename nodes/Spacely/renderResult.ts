import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { abortableSleep } from './platform';
import { PollOutage } from './scheduling/pollOutage';
import { pollScheduleFor } from './scheduling/pollSchedule';
import { requestSlotsOf } from './scheduling/requestSlots';
import type { SpacelyRequest } from './transport/request';
import { asNodeError, mayPass, unexpectedResponseError } from './transport/errors';
import type { DownloadOptions } from './transport/download';
import { downloadEvery, downloadImage } from './transport/download';
import { apiKeyOf, spacelyRequest } from './transport/request';

export type RenderStatus = 'processing' | 'success';

export interface RenderResult {
	refId: string;
	status: RenderStatus;
	images: string[];
}

type PollOptions = Pick<SpacelyRequest, 'timeoutMs' | 'maxRequestsPerSecond'>;

export const DEFAULT_POLL_INTERVAL_S = 3;

/**
 * Asks Spacely once for the result of a render. A poll starts nothing and costs nothing, so 5xx
 * and network errors are resent (unless `resend` is false: a caller that polls again anyway),
 * whatever the operation's setting for render requests says.
 */
export async function fetchResult(
	ctx: IExecuteFunctions,
	refId: string,
	itemIndex: number,
	{ resend = true, ...options }: PollOptions & { resend?: boolean } = {},
): Promise<RenderResult> {
	let response;
	try {
		response = await spacelyRequest(
			ctx,
			{ ...options, method: 'GET', path: '/api/v1/generate/poll-result', qs: { refId }, retryServerErrors: resend },
			itemIndex,
		);
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '400') {
			throw new NodeApiError(ctx.getNode(), { message: error.message }, {
				message: `Spacely does not know the ref id "${refId}"`,
				description: `${error.message}. Use a ref id returned by Generate Advance with the same Spacely account.`,
				itemIndex,
			});
		}
		throw asNodeError(ctx, error, itemIndex);
	}
	// Read what is there: a status says enough on its own, save that a success needs its images.
	const data = response.data as { status?: unknown; result?: unknown } | undefined;
	const status = data?.status;
	if (typeof status !== 'string') {
		throw unexpectedResponseError(ctx, itemIndex, 'The poll result had no "data.status".');
	}
	if (status !== 'processing' && status !== 'success') {
		const error = new NodeApiError(ctx.getNode(), { message: `status ${status}` }, {
			message: `The render with ref id "${refId}" failed (status "${status}")`,
			description: 'Spacely reported that this render did not succeed, so there are no images to fetch. Start a new render for this item.',
			itemIndex,
		});
		error.context[RENDER_FAILED] = true;
		throw error;
	}
	const images = Array.isArray(data?.result) ? data.result.filter((url) => typeof url === 'string') : undefined;
	if (status === 'success' && !images) {
		throw unexpectedResponseError(ctx, itemIndex, 'The poll result said "success" but had no "data.result" with the image links.');
	}
	return { refId, status, images: images ?? [] };
}

interface WaitOptions extends PollOptions {
	/** when to poll first; later polls follow what renders were seen to take */
	pollIntervalMs: number;
	waitTimeoutMs: number;
	/** fires when the node will fail anyway (another item failed): waiting on is pointless */
	stopWaiting?: AbortSignal;
	/** where the user raises the wait timeout, for the error when it runs out */
	waitTimeoutField?: string;
	/** the operation that fetches a render later, as the node version names it */
	getResultOperation?: string;
	/** renders of another kind (another endpoint or model) may take another time: learn apart */
	renderKind?: string;
}

/**
 * Polls until the render succeeds, when scheduling/pollSchedule.ts says: never before
 * `pollIntervalMs`, then aimed at when renders of this account were seen to finish, so that a
 * render is picked up soon after it is done, with few polls. Polls that fail for a reason that may
 * pass (an outage, see scheduling/pollOutage.ts) are sent again, backing off, until the Wait
 * Timeout. Polls once more at the Wait Timeout before giving up. Stops at once when the execution
 * is cancelled, or with a WAIT_STOPPED error when `stopWaiting` fires.
 */
export async function waitForResult(
	ctx: IExecuteFunctions,
	refId: string,
	itemIndex: number,
	{ waitTimeoutMs, pollIntervalMs, stopWaiting, renderKind, waitTimeoutField, getResultOperation, ...options }: WaitOptions,
): Promise<RenderResult> {
	const startedAt = Date.now();
	const cancelled = ctx.getExecutionCancelSignal();
	const schedule = pollScheduleFor(await apiKeyOf(ctx), renderKind);
	const render = schedule.startWaiting(pollIntervalMs);
	const slots = requestSlotsOf(ctx);
	slots?.setPriority(itemIndex, 'poll');
	const fetchLater: FetchLater = {
		waitTimeoutField: waitTimeoutField ?? 'Options → Wait Timeout',
		getResultOperation: getResultOperation ?? 'Get Result',
	};
	let outage: PollOutage | undefined;
	try {
		for (;;) {
			const remaining = Math.max(0, startedAt + waitTimeoutMs - Date.now());
			const nextPollInMs = outage?.retryInMs() ?? render.nextPollInMs() ?? remaining;
			const wokenEarly = await pause(Math.min(nextPollInMs, remaining), cancelled, stopWaiting, render.changed);
			if (stopWaiting?.aborted) throw waitStoppedError(ctx, refId, itemIndex, fetchLater);
			const timedOut = Date.now() >= startedAt + waitTimeoutMs;
			// What the schedule knows changed: the poll may be due sooner, or later; not past the timeout.
			if (wokenEarly && !timedOut) continue;
			slots?.setPriority(itemIndex, render.isScout ? 'scout' : 'poll');
			const sentAt = performance.now();
			let result: RenderResult;
			try {
				// Not resent at once: this loop polls again, backing off, for as long as the wait allows.
				result = await fetchResult(ctx, refId, itemIndex, { ...options, resend: false });
			} catch (error) {
				if (!mayPass(error)) throw asNodeError(ctx, error as Error, itemIndex);
				outage ??= new PollOutage();
				outage.failed(error as Error);
				if (timedOut) throw pollOutageError(ctx, refId, itemIndex, outage, fetchLater);
				continue;
			}
			outage = undefined;
			render.polled(sentAt, performance.now(), result.status === 'success');
			if (result.status === 'success') return result;
			if (timedOut) throw waitTimeoutError(ctx, refId, itemIndex, Date.now() - startedAt, fetchLater);
		}
	} finally {
		render.end();
	}
}

/**
 * Sleeps; ends early when one of the signals fires (returning true), and fails when the execution
 * is cancelled.
 */
async function pause(ms: number, cancelled?: AbortSignal, ...early: Array<AbortSignal | undefined>) {
	const signals = [cancelled, ...early].filter((signal) => signal !== undefined);
	// The sleep rejects only when one of the signals fires; which one it was decides what follows.
	const wokenEarly = await abortableSleep(ms, AbortSignal.any(signals)).then(
		() => false,
		() => true,
	);
	if (wokenEarly) cancelled?.throwIfAborted();
	return wokenEarly;
}

/** How the errors of a wait tell the user to fetch the render later, as the node version names it. */
type FetchLater = Record<'waitTimeoutField' | 'getResultOperation', string>;

/** Marks, in an error's context, a render that Spacely reported as failed: running it again renders anew. */
export const RENDER_FAILED = 'renderFailed';

/** Marks, in an error's context, a wait that was stopped because another item failed. */
export const WAIT_STOPPED = 'waitStopped';

function waitStoppedError(ctx: IExecuteFunctions, refId: string, itemIndex: number, { getResultOperation }: FetchLater) {
	const error = new NodeOperationError(
		ctx.getNode(),
		`Stopped waiting for the render with ref id "${refId}": another item failed`,
		{
			itemIndex,
			description: `The render was started and keeps running. Fetch it later with ${getResultOperation} and ref id ${refId}.`,
		},
	);
	error.context[WAIT_STOPPED] = true;
	return error;
}

function pollOutageError(
	ctx: IExecuteFunctions,
	refId: string,
	itemIndex: number,
	outage: PollOutage,
	{ waitTimeoutField, getResultOperation }: FetchLater,
) {
	const seconds = Math.round(outage.lastedMs() / 1000);
	return new NodeOperationError(
		ctx.getNode(),
		`Could not check on the render with ref id "${refId}": Spacely did not answer properly${seconds > 0 ? ` for ${seconds} seconds` : ''}`,
		{
			itemIndex,
			description: `The render is still running or unknown; it was not started again. Fetch it later with ${getResultOperation} and ref id ${refId}, or raise ${waitTimeoutField}. The last check got: ${outage.lastFailure()}`,
		},
	);
}

function waitTimeoutError(
	ctx: IExecuteFunctions,
	refId: string,
	itemIndex: number,
	waitedMs: number,
	{ waitTimeoutField, getResultOperation }: FetchLater,
) {
	return new NodeOperationError(
		ctx.getNode(),
		`The render with ref id "${refId}" was not done after ${Math.round(waitedMs / 1000)} seconds`,
		{
			itemIndex,
			description: `It is still running and was not started again. Fetch it later with ${getResultOperation} and ref id ${refId}, or raise ${waitTimeoutField}.`,
		},
	);
}

/**
 * One output item per image, with the image as binary property "data" (what most nodes that
 * upload or send files read by default), so the next node handles each image on its own. All or
 * none: an image that fails fails the item, with the render's ref id.
 */
export async function downloadImages(
	ctx: IExecuteFunctions,
	result: RenderResult,
	json: INodeExecutionData['json'],
	itemIndex: number,
	options: Omit<DownloadOptions, 'stop'> = {},
): Promise<INodeExecutionData[]> {
	const { refId, images } = result;
	return await downloadEvery(images.length, async (imageIndex, stop) => {
		const url = images[imageIndex];
		const fileName = fileNameOf(url, refId, imageIndex);
		const image = { url, fileName, refId, number: imageIndex + 1, count: images.length };
		const binary = await downloadImage(ctx, image, itemIndex, { ...options, stop });
		return { json: { ...json, imageIndex, renderedImageUrl: url }, binary: { data: binary } };
	});
}

function fileNameOf(imageUrl: string, refId: string, imageIndex: number): string {
	try {
		const name = new URL(imageUrl).pathname.split('/').pop();
		if (name) return decodeURIComponent(name);
	} catch {
		// an odd URL only costs the file its original name
	}
	return `${refId}-${imageIndex + 1}.png`;
}
