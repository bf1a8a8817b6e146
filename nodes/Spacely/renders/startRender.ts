import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { RENDER_MAY_HAVE_STARTED, asNodeError, unexpectedResponseError } from '../transport/errors';
import type { SpacelyRequest } from '../transport/request';
import { apiKeyOf, spacelyRequest } from '../transport/request';
import { RENDER_FAILED } from '../renderResult';
import { acceptedRenderFor, forgetRender, recordAcceptedRender } from './acceptedRenders';

type RequestOptions = Pick<SpacelyRequest, 'timeoutMs' | 'maxRequestsPerSecond' | 'retryServerErrors'>;

/**
 * Sends one render request (a paid render starts) and returns the ref id Spacely gave it; or, when
 * n8n runs this item again after a failure and Spacely already accepted its render, that ref id
 * (acceptedRenders.ts). Each accepted render is logged, so that its ref id survives a crash.
 */
export async function startRender(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	body: IDataObject,
	requestOptions: RequestOptions,
): Promise<string> {
	const request = { itemIndex, path, body };
	const accepted = acceptedRenderFor(ctx, request);
	if (accepted !== undefined) {
		ctx.logger.info(`${describeRender(ctx, itemIndex, path, accepted)}: reused, not sent again (Spacely accepted it in an earlier try)`);
		return accepted;
	}
	const response = await spacelyRequest(ctx, { method: 'POST', path, body, ...requestOptions }, itemIndex);
	if (typeof response.data !== 'string' || response.data === '') {
		throw unexpectedResponseError(
			ctx,
			itemIndex,
			`The response had no "data" field with the ref id: ${JSON.stringify(response).slice(0, 200)}.${RENDER_MAY_HAVE_STARTED}`,
			// Spacely's answer is quoted, and a careless one may repeat the key it was sent.
			await apiKeyOf(ctx),
		);
	}
	recordAcceptedRender(ctx, request, response.data);
	ctx.logger.info(`${describeRender(ctx, itemIndex, path, response.data)}: accepted by Spacely (paid)`, {
		executionId: ctx.getExecutionId(),
		node: ctx.getNode().name,
		itemIndex,
		endpoint: path,
		refId: response.data,
	});
	return response.data;
}

/** The message leads with every field: n8n's console log prints messages without their metadata. */
function describeRender(ctx: IExecuteFunctions, itemIndex: number, path: string, refId: string) {
	const executionId = ctx.getExecutionId() ?? 'none';
	return `Spacely render ${refId} (execution ${executionId}, node "${ctx.getNode().name}", item ${itemIndex}, ${path})`;
}

/**
 * Runs what follows a started render (waiting, downloading). The render was paid for, so a
 * failure keeps its ref id with the error, for Get Result later; unless Spacely reported the
 * render failed: then n8n running the item again (Retry On Fail, Retry) starts a new one.
 */
export async function keepingRefId<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	refId: string,
	work: () => Promise<T>,
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		const nodeError = asNodeError(ctx, error, itemIndex);
		nodeError.context.refId = refId;
		if (nodeError.context[RENDER_FAILED] === true) forgetRender(ctx, refId);
		throw nodeError;
	}
}
