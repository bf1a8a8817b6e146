import { PollOutage } from '../../../../nodes/Spacely/scheduling/pollOutage';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
	let now = start;
	return { clock: () => now, advance: (ms: number) => (now += ms) };
}

test('each failed poll waits about twice as long as the one before, jittered, up to 15 s', () => {
	const { clock } = manualClock();
	const outage = new PollOutage(clock);
	const waits = Array.from({ length: 7 }, () => {
		outage.failed(new Error('Spacely had a server error (503)'));
		return outage.retryInMs();
	});

	// Each wait lies between half and all of 1, 2, 4, 8, 15, 15, 15 seconds.
	[1000, 2000, 4000, 8000, 15_000, 15_000, 15_000].forEach((full, index) => {
		expect(waits[index]).toBeGreaterThanOrEqual(full / 2);
		expect(waits[index]).toBeLessThanOrEqual(full);
	});
});

test('the wait counts down with the clock; the outage knows how long it lasted and what the last poll got', () => {
	const { clock, advance } = manualClock();
	const outage = new PollOutage(clock);
	outage.failed(Object.assign(new Error('Spacely had a server error (502)'), { description: 'An HTML page.' }));
	const wait = outage.retryInMs();
	advance(wait - 100);

	expect(outage.retryInMs()).toBe(100);
	advance(1000);
	expect(outage.retryInMs()).toBe(0);
	expect(outage.lastedMs()).toBe(wait + 900);
	expect(outage.lastFailure()).toBe('Spacely had a server error (502). An HTML page.');
});
