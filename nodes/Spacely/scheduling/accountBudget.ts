import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SPACELY_LIMIT_PER_SECOND } from './rateLimiter';

export const DEFAULT_ACCOUNT_REQUESTS_PER_SECOND = 50;
export const DEFAULT_N8N_PROCESSES = 1;
/** More n8n processes than this would leave each less than one request per second. */
export const MAX_N8N_PROCESSES = SPACELY_LIMIT_PER_SECOND;

/** What this process may send for one account, within every second. */
export interface ProcessBudget {
	/** the cap the limiter keeps, by estimated arrivals */
	perSecond: number;
	/** this process's share of Spacely's own limit, which the limiter keeps without estimates */
	spacelyLimitShare: number;
}

/**
 * Every n8n process runs its own limiter and cannot see the others (queue-mode workers share no
 * memory), so each keeps to an equal share of the account's budget: floor(budget / processes),
 * at least 1. The node option "Max Requests per Second" of saved workflows can only lower it.
 */
export function processBudget(
	// The credential's `requestsPerSecond` and `n8nProcesses`; credentials saved before they
	// existed have neither.
	credential: ICredentialDataDecryptedObject,
	nodeMaxPerSecond?: number,
): ProcessBudget {
	const budget = Math.min(
		wholeAtLeastOne(credential.requestsPerSecond, DEFAULT_ACCOUNT_REQUESTS_PER_SECOND),
		SPACELY_LIMIT_PER_SECOND,
	);
	const processes = Math.min(
		wholeAtLeastOne(credential.n8nProcesses, DEFAULT_N8N_PROCESSES),
		MAX_N8N_PROCESSES,
	);
	const share = Math.max(1, Math.floor(budget / processes));
	return {
		perSecond: Math.min(share, nodeMaxPerSecond ?? share),
		spacelyLimitShare: Math.floor(SPACELY_LIMIT_PER_SECOND / processes),
	};
}

/** A number field of a credential saved before it existed, or set by hand to nonsense, gets its default. */
function wholeAtLeastOne(value: unknown, fallback: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) && number >= 1 ? Math.floor(number) : fallback;
}
