import { sleep } from 'n8n-workflow';

import type { Release } from '../../../../nodes/Spacely/scheduling/rateLimiter';
import { SlidingWindowLimiter } from '../../../../nodes/Spacely/scheduling/rateLimiter';
import { peakPerSecond } from '../../../fake-spacely/server';

// The limiter's clock is performance.now() and its waits are timers: both are faked here, so the
// times below are exact to a millisecond. What the fake Spacely server sees is in transport.test.ts.
beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

const WINDOW_MS = 1000;
const MARGIN_MS = 50;
const SLACK_MS = 5;

/** Asks for a slot now; `release` is set once the slot is granted. */
function ask(limiter: SlidingWindowLimiter, limit: number, spacelyLimit?: number) {
	const request: { release?: Release } = {};
	void limiter.acquire(limit, undefined, spacelyLimit).then((release) => (request.release = release));
	return request;
}

/** Lets fake time run up to `ms` after the test started. */
const at = async (ms: number) => await jest.advanceTimersByTimeAsync(ms - performance.now());

/** Checks that `request` is still waiting shortly before `ms` and granted shortly after. */
async function expectGrantedAt(request: { release?: Release }, ms: number) {
	await at(ms - SLACK_MS);
	expect(request.release).toBeUndefined();
	await at(ms + SLACK_MS);
	expect(request.release).toBeDefined();
}

describe('SlidingWindowLimiter', () => {
	test('a request counts from when it reached Spacely, not from when its answer came back', async () => {
		const limiter = new SlidingWindowLimiter();
		const [first, second] = [ask(limiter, 2), ask(limiter, 2)];
		await at(0);
		const third = ask(limiter, 2);
		// Both are answered 400 ms after they were sent, the fastest round trip yet: both reached
		// Spacely right after they were sent, at 0 ms.
		await at(400);
		first.release?.(true);
		second.release?.(true);

		await expectGrantedAt(third, WINDOW_MS + MARGIN_MS);
	});

	test('a request answered later than the fastest round trip counts from its answer less that trip', async () => {
		const limiter = new SlidingWindowLimiter();
		const [fast, slow] = [ask(limiter, 2), ask(limiter, 2)];
		await at(0);
		const [third, fourth] = [ask(limiter, 2), ask(limiter, 2)];
		await at(100);
		fast.release?.(true);
		// 600 ms more than the fastest trip: it may have reached Spacely as late as 600 ms.
		await at(700);
		slow.release?.(true);

		await expectGrantedAt(third, WINDOW_MS + MARGIN_MS);
		await expectGrantedAt(fourth, 600 + WINDOW_MS + MARGIN_MS);
	});

	test('a request that was not sent after all counts for nothing', async () => {
		const limiter = new SlidingWindowLimiter();
		const first = ask(limiter, 1);
		await at(0);
		const second = ask(limiter, 1);
		await at(100);
		expect(second.release).toBeUndefined();
		first.release?.(false, false);

		await at(100 + SLACK_MS);
		expect(second.release).toBeDefined();
	});

	test('a request that got no answer counts from when it ended', async () => {
		const limiter = new SlidingWindowLimiter();
		const failed = ask(limiter, 1);
		await at(0);
		const next = ask(limiter, 1);
		await at(300);
		failed.release?.(false);

		await expectGrantedAt(next, 300 + WINDOW_MS);
	});

	test('a request never counts from later than its answer, which it reached Spacely before', async () => {
		const limiter = new SlidingWindowLimiter();
		const fast = ask(limiter, 1);
		await at(0);
		const next = ask(limiter, 1);
		// Answered 10 ms after it was sent: it arrived by 10 ms, earlier than any margin would say.
		await at(10);
		fast.release?.(true);

		await expectGrantedAt(next, 10 + WINDOW_MS);
	});

	test("Spacely's own limit of 100 per second counts from the answers, whatever the estimate says", async () => {
		const limiter = new SlidingWindowLimiter();
		const first = Array.from({ length: 100 }, () => ask(limiter, 100));
		await at(0);
		const next = ask(limiter, 100);
		// The estimate says they arrived at 0 ms; they might have arrived as late as 400 ms.
		await at(400);
		for (const request of first) request.release?.(true);

		await expectGrantedAt(next, 400 + WINDOW_MS);
	});

	test("with 2 n8n processes on the account, this one keeps to half of Spacely's limit by the answers too", async () => {
		const limiter = new SlidingWindowLimiter();
		const first = Array.from({ length: 50 }, () => ask(limiter, 50, 50));
		await at(0);
		const next = ask(limiter, 50, 50);
		await at(400);
		for (const request of first) request.release?.(true);

		// By the estimate alone it would start at 1050 ms.
		await expectGrantedAt(next, 400 + WINDOW_MS);
	});

	test('a request in flight holds its slot however long it takes', async () => {
		const limiter = new SlidingWindowLimiter();
		const slow = ask(limiter, 1);
		await at(0);
		const next = ask(limiter, 1);
		await at(5000);
		expect(slow.release).toBeDefined();
		expect(next.release).toBeUndefined();

		slow.release?.(true);
		// Its one answer is also the fastest round trip: it counts from when it was sent.
		await at(5000 + SLACK_MS);
		expect(next.release).toBeDefined();
	});
});

describe('SlidingWindowLimiter on a simulated network', () => {
	/** A small seeded random generator (mulberry32), so every run sees the same network. */
	function seededRandom(seed: number) {
		let state = seed;
		return () => {
			state = (state + 0x6d2b79f5) | 0;
			let t = Math.imul(state ^ (state >>> 15), 1 | state);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	}

	test('keeps arrivals under the cap and uses it, when ways there differ by less than the margin', async () => {
		const random = seededRandom(5);
		const limiter = new SlidingWindowLimiter();
		const limit = 30;
		const arrivals: number[] = [];
		let finishedAt = 0;
		const requests = Array.from({ length: 300 }, async () => {
			const release = await limiter.acquire(limit);
			const wayThere = 20 + random() * (MARGIN_MS - 10);
			const serverAndBack = 300 + random() * 40;
			const lost = random() < 0.05;
			void sleep(wayThere).then(() => arrivals.push(performance.now()));
			void sleep(wayThere + serverAndBack).then(() => {
				release(!lost);
				finishedAt = performance.now();
			});
		});
		await jest.advanceTimersByTimeAsync(30_000);
		await Promise.all(requests);

		expect(arrivals).toHaveLength(300);
		expect(peakPerSecond(arrivals)).toBeLessThanOrEqual(limit);
		// 10 windows of 30 take at least 9.4 s; counting from the answers would take over 12.5 s.
		expect(finishedAt).toBeLessThan(11_500);
	});
});
