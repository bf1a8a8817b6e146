import { randomInt } from 'n8n-workflow';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

/**
 * Polls of one render that failed in a row for reasons that may pass: a 5xx, a proxy's error
 * page, a cut-off answer, a network error. A poll starts nothing and costs nothing, so the render
 * is polled again until its Max Wait, each time a little later (with jitter, so that many renders
 * caught in one outage do not come back at once).
 */
export class PollOutage {
	readonly since: number;

	private failures = 0;

	private retryAt = 0;

	private lastError?: Error;

	constructor(private readonly clock: () => number = Date.now) {
		this.since = clock();
	}

	/** Records a failed poll; the next comes after about 1, 2, 4, 8, then 15 seconds. */
	failed(error: Error): void {
		this.failures++;
		this.lastError = error;
		const ms = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
		this.retryAt = this.clock() + ms / 2 + randomInt(ms / 2);
	}

	retryInMs(): number {
		return Math.max(0, this.retryAt - this.clock());
	}

	/** What the last failed poll got, in words. */
	lastFailure(): string {
		const error = this.lastError as (Error & { description?: string | null }) | undefined;
		if (!error) return '';
		return error.description ? `${error.message}. ${error.description}` : error.message;
	}

	lastedMs(): number {
		return this.clock() - this.since;
	}
}
