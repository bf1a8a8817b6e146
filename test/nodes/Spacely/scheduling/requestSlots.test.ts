import { RequestSlots } from '../../../../nodes/Spacely/scheduling/requestSlots';

test('slots go first come first served, and a released slot passes to the next in line', async () => {
	const slots = new RequestSlots(2);
	const order: string[] = [];
	const first = await slots.acquire();
	const second = await slots.acquire();
	const third = slots.acquire().then((release) => {
		order.push('third');
		return release;
	});
	const fourth = slots.acquire().then((release) => {
		order.push('fourth');
		return release;
	});

	second();
	second(); // a second call gives nothing back twice
	await third;
	expect(order).toEqual(['third']);
	first();
	(await fourth)();
	expect(order).toEqual(['third', 'fourth']);
});

test('whenFree waits while every slot is taken or asked for', async () => {
	const slots = new RequestSlots(1);
	const release = await slots.acquire();
	let free = false;
	const watching = slots.whenFree().then(() => (free = true));

	await Promise.resolve();
	expect(free).toBe(false);
	release();
	await watching;
	expect(free).toBe(true);
});

test("an item's first request takes the slot reserved for it, and an unused reservation is given back", async () => {
	const slots = new RequestSlots(2);
	slots.reserve(0);
	slots.reserve(1);
	expect(slots.hasFree()).toBe(false);

	const release = await slots.acquire(0);
	expect(slots.hasFree()).toBe(false);
	slots.unreserve(1);
	expect(slots.hasFree()).toBe(true);
	release();
	slots.unreserve(0); // already taken over: nothing to give back
	await slots.acquire();
	await slots.acquire();
	expect(slots.hasFree()).toBe(false);
});

test('a freed slot goes to a scout poll, an item being started, then polls, then downloads', async () => {
	const slots = new RequestSlots(1, true);
	const order: string[] = [];
	const release = await slots.acquire();
	slots.setPriority(1, 'poll');
	slots.setPriority(2, 'scout');
	const download = slots.acquire(1, 'download').then((next) => (order.push('download'), next));
	const poll = slots.acquire(1).then((next) => (order.push('poll'), next));
	const startWaiting = slots.whenFree().then(() => {
		order.push('start');
		slots.reserve(3);
	});
	const scout = slots.acquire(2).then((next) => (order.push('scout'), next));

	release();
	(await scout)();
	await startWaiting;
	expect(order).toEqual(['scout', 'start']);
	// A free slot, and the router busy elsewhere: still its, while it has items to start.
	(await slots.acquire(3))();
	await Promise.resolve();
	expect(order).toEqual(['scout', 'start']);
	slots.stopStarting();
	(await poll)();
	(await download)();
	expect(order).toEqual(['scout', 'start', 'poll', 'download']);
});

test('without a router starting items, polls and downloads take a free slot at once', async () => {
	const slots = new RequestSlots(2);
	slots.setPriority(0, 'poll');
	await slots.acquire(0);
	await slots.acquire(0, 'download');
});
