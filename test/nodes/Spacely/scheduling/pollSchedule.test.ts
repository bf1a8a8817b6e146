import type { IDataObject } from 'n8n-workflow';

import { useFakeSpacely } from '../../../helpers/use-fake-spacely';
import { runSpacelyWorkflow } from '../../../helpers/run-workflow';

// What the node learns is kept per account for the whole process: each test its own accounts.
const KEYS = Array.from({ length: 12 }, (_, i) => `sk-learn-${i}`);
let nextKey = 0;
const freshAccount = () => KEYS[nextKey++];

const fake = useFakeSpacely({ apiKeys: KEYS, latencyMs: 20 });

const room = (renderMs: number, i: number) => `https://example.com/rooms/fake-render-ms-${renderMs}/${i}.jpg`;

function renderBatch(apiKey: string, imageUrls: string[], options: IDataObject = {}) {
	return runSpacelyWorkflow({
		items: imageUrls.map((imageUrl) => ({ imageUrl })),
		parameters: {
			imageUrl: '={{ $json.imageUrl }}',
			options: { waitForCompletion: true, pollInterval: 0.2, maxConcurrency: 50, ...options },
		},
		credentials: { apiKey, baseUrl: fake.url },
		continueOnFail: true,
	});
}

const polls = () => fake.requests.filter((r) => r.path === '/api/v1/generate/poll-result');
/** renders whose polls saw them still processing at least once */
const polledTooEarly = () => fake.renderTimes().filter((render) => render.polls > 1);
/** each render's POST answer, when it was done and when it was polled, in ms since the server started */
const timelines = () =>
	fake.renderTimes().map(({ refId, postedAt, doneAt }) => ({
		postedAt,
		doneAt,
		polledAt: polls()
			.filter((r) => r.query.refId === refId)
			.map((r) => r.receivedAt),
	}));

/** Each count at most its bound; when one is over, the failure shows every render's timeline. */
function expectWithin(seen: Record<string, number>, bounds: Record<string, number>) {
	const within = Object.keys(bounds).every((name) => seen[name] <= bounds[name]);
	expect(within ? seen : { ...seen, bounds, renders: timelines() }).toEqual(seen);
}

test('renders that take the same time: a few scouts find out when, the others are polled once', async () => {
	const rooms = Array.from({ length: 24 }, (_, i) => room(1200, i));
	const { output } = await renderBatch(freshAccount(), rooms);

	expect(output?.map((item) => item.json.status)).toEqual(rooms.map(() => 'success'));
	// Polling every render blindly (0.2 s, then 1.6 times longer each time) took 4 polls each, and
	// polled every render before it was done. An idle machine gives 29-30 polls, 3 renders (the
	// scouts) polled early. A busy one reads answers late and spreads the POSTs, which blurs the
	// render times the node sees: one CI run saw 41 polls, before polls aimed at the end of what
	// was seen done (waitingRender.test.ts checks that rule on a clock of its own). Half of blind
	// polling's count bounds it here.
	expectWithin(
		{ polls: polls().length, polledTooEarly: polledTooEarly().length },
		{ polls: 2 * rooms.length, polledTooEarly: (2 * rooms.length) / 3 },
	);
});

test('the next batch of the same account is polled when its renders are due, with no scouting again', async () => {
	const account = freshAccount();
	await renderBatch(account, Array.from({ length: 6 }, (_, i) => room(1200, i)));
	fake.reset();

	const rooms = Array.from({ length: 12 }, (_, i) => room(1200, 100 + i));
	const { output } = await renderBatch(account, rooms);

	expect(output?.map((item) => item.json.status)).toEqual(rooms.map(() => 'success'));
	// What the first batch showed is used at once: no render is polled at First Poll After (0.2 s),
	// as scouts of a fresh start are, or blind polling. An idle machine polls each render once, just
	// after it is done; a busy one blurs the times the node sees, and some renders take two polls.
	const polledSoon = timelines().filter(({ postedAt, polledAt }) => polledAt[0] - postedAt < 600);
	expectWithin(
		{ polls: polls().length, polledTooEarly: polledTooEarly().length, firstPolledWithin600ms: polledSoon.length },
		{ polls: 1.5 * rooms.length, polledTooEarly: rooms.length / 2, firstPolledWithin600ms: 0 },
	);
});

// Longer than the default 5 s, so that a shared schedule fails the assertion, not the timeout.
test('another account learns for itself: what one account taught is not used for the other', async () => {
	await renderBatch(freshAccount(), Array.from({ length: 6 }, (_, i) => room(2500, i)));
	fake.reset();

	const { output } = await renderBatch(freshAccount(), Array.from({ length: 6 }, (_, i) => room(400, i)));

	expect(output?.every((item) => item.json.status === 'success')).toBe(true);
	// Had the first account's 2.5 s been used, the first polls would have come after 2.5 s.
	const render = fake.renderTimes();
	const firstPollAfter = render.map(({ refId, postedAt }) =>
		Math.min(...polls().filter((r) => r.query.refId === refId).map((r) => r.receivedAt)) - postedAt,
	);
	expect(Math.max(...firstPollAfter)).toBeLessThan(1500);
}, 15_000);

test('renders waiting for the scouts still time out at Wait Timeout, each after a last poll', async () => {
	const rooms = Array.from({ length: 6 }, (_, i) => `https://example.com/rooms/fake-render-never/${i}.jpg`);
	const { output } = await renderBatch(freshAccount(), rooms, { waitTimeout: 1 });

	expect(output?.map((item) => item.json.error)).toEqual(
		fake.renderTimes().map(({ refId }) => `The render with ref id "${refId}" was not done after 1 seconds`),
	);
	expect(fake.renderTimes().every((render) => render.polls >= 1)).toBe(true);
});

test('polls of started renders wait behind the renders still to be started; only scouts go ahead', async () => {
	const rooms = Array.from({ length: 24 }, (_, i) => room(100, i));
	const { output } = await renderBatch(freshAccount(), rooms, { maxConcurrency: 2, pollInterval: 0.1 });

	expect(output?.every((item) => item.json.status === 'success')).toBe(true);
	const lastPost = Math.max(...fake.requests.filter((r) => r.method === 'POST').map((r) => r.receivedAt));
	const polledBeforeLastPost = new Set(polls().filter((r) => r.receivedAt < lastPost).map((r) => r.query.refId));
	// The three scouts, and the two that take the roles of the first two done: what fewer than three
	// renders showed is checked by the scouts before the others act on it.
	expect(polledBeforeLastPost.size).toBeLessThanOrEqual(5);
});
