import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { RENDER_MAY_HAVE_STARTED, asNodeError, unexpectedResponseError } from './transport/errors';
import type { SpacelyRequest } from './transport/request';
import { spacelyRequest } from './transport/request';

type RequestOptions = Pick<SpacelyRequest, 'timeoutMs' | 'maxRequestsPerSecond' | 'retryServerErrors'>;

/** Sends one render request (a paid render starts) and returns the ref id Spacely gave it. */
export async function startRender(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	body: IDataObject,
	requestOptions: RequestOptions,
): Promise<string> {
	const response = await spacelyRequest(ctx, { method: 'POST', path, body, ...requestOptions }, itemIndex);
	if (typeof response.data !== 'string' || response.data === '') {
		throw unexpectedResponseError(
			ctx,
			itemIndex,
			`The response had no "data" field with the ref id: ${JSON.stringify(response).slice(0, 200)}.${RENDER_MAY_HAVE_STARTED}`,
		);
	}
	return response.data;
}

/**
 * Runs what follows a started render (waiting, downloading). The render was paid for, so a
 * failure keeps its ref id with the error, for Get Result later.
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
		throw nodeError;
	}
}
