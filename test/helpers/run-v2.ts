import type { IDataObject } from 'n8n-workflow';

import type { FakeSpacely } from './use-fake-spacely';
import type { RunOptions, RunResult } from './run-workflow';
import { runSpacelyWorkflow } from './run-workflow';

export const API_KEY = 'sk-dummy-v2-7d21';
export const ROOM = 'https://storage.googleapis.com/spacely/public/image/roomstyle3/bathroom-modern.jpg';

/** Runs version 2 of the node on the given items against the fake server. */
export function runV2(
	fake: FakeSpacely,
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	options: Pick<RunOptions, 'continueOnFail' | 'settings' | 'execution'> = {},
): Promise<RunResult> {
	return runSpacelyWorkflow({
		typeVersion: 2,
		items,
		parameters,
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
		...options,
	});
}

/** The bodies of the render requests the fake server received, in order. */
export function postedBodies(fake: FakeSpacely): unknown[] {
	return fake.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.rawBody));
}

/** The message and description of the error the run stopped with. */
export function errorOf(result: RunResult): string {
	const error = result.error as (Error & { description?: string }) | undefined;
	return `${error?.message ?? ''} | ${error?.description ?? ''}`;
}
