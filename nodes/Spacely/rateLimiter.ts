import { createHash } from 'node:crypto';
import { sleepWithAbort } from 'n8n-workflow';

const WINDOW_MS = 1000;

/**
 * Lets requests start, in the order they asked, only while fewer than `limit` requests are in
 * flight or finished less than a second ago. Counting a request until a second after its answer
 * (rather than after it was sent) keeps the cap true where Spacely counts it, on arrival, however
 * long the request took to get there: any one-second window on Spacely's side sees at most `limit`.
 * One instance per Spacely account, shared by every item and every execution in this process.
 * Times come from performance.now(): a system clock stepped back must not stall every request.
 */
export class SlidingWindowLimiter {
	private inFlight = 0;

	private readonly finishedAt: number[] = [];

	private queue: Promise<void> = Promise.resolve();

	private onRelease: Array<() => void> = [];

	/** Resolves when the request may start, with the function to call when its answer is in. */
	async acquire(limit: number, signal?: AbortSignal): Promise<() => void> {
		const turn = this.queue.then(async () => await this.waitForSlot(limit, signal));
		this.queue = turn.catch(() => undefined);
		await turn;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.inFlight--;
			this.finishedAt.push(performance.now());
			for (const wake of this.onRelease.splice(0)) wake();
		};
	}

	private async waitForSlot(limit: number, signal?: AbortSignal): Promise<void> {
		for (;;) {
			// A stopped execution must not take a slot that other executions could use.
			signal?.throwIfAborted();
			const now = performance.now();
			while (this.finishedAt.length > 0 && now - this.finishedAt[0] >= WINDOW_MS) {
				this.finishedAt.shift();
			}
			if (this.inFlight + this.finishedAt.length < limit) {
				this.inFlight++;
				return;
			}
			const released = new Promise<void>((resolve) => this.onRelease.push(resolve));
			const untilExpiry = this.finishedAt.length > 0 ? this.finishedAt[0] + WINDOW_MS - now : undefined;
			await Promise.race(
				untilExpiry === undefined ? [released] : [released, sleepWithAbort(untilExpiry, signal)],
			);
		}
	}
}

const limiters = new Map<string, SlidingWindowLimiter>();

/** The limiter for one account: keyed by base URL and a hash of the key, never the key itself. */
export function limiterForAccount(baseUrl: string, apiKey: string): SlidingWindowLimiter {
	const account = `${baseUrl} ${createHash('sha256').update(apiKey).digest('hex')}`;
	let limiter = limiters.get(account);
	if (!limiter) {
		limiter = new SlidingWindowLimiter();
		limiters.set(account, limiter);
	}
	return limiter;
}
