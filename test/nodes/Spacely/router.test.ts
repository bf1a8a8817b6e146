import { useFakeSpacely } from '../../helpers/use-fake-spacely';
import { runSpacelyWorkflow } from '../../helpers/run-workflow';
import { API_KEY as V2_API_KEY, runV2 } from '../../helpers/run-v2';

const API_KEY = 'sk-router-test';
const ROOM = 'https://example.com/photos/room.jpg';

const fake = useFakeSpacely({ apiKeys: [API_KEY, V2_API_KEY], latencyMs: 40 });

function run(imageUrls: string[], maxConcurrency: number, continueOnFail = false) {
	return runSpacelyWorkflow({
		items: imageUrls.map((imageUrl) => ({ imageUrl })),
		parameters: { imageUrl: '={{ $json.imageUrl }}', options: { maxConcurrency } },
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
		continueOnFail,
	});
}

test('items run concurrently, never more in flight than Max Concurrent Requests', async () => {
	const rooms = Array.from({ length: 24 }, (_, i) => `${ROOM}?n=${i}`);
	const { output } = await run(rooms, 6);

	expect(output).toHaveLength(24);
	expect(fake.maxInFlight()).toBe(6);
});

test('results keep input order and pairing when later items finish first and some fail', async () => {
	const rooms = [
		`${ROOM}?fake-slow-300`,
		`${ROOM}?fake-status-500`,
		`${ROOM}?fake-slow-150`,
		'not a url',
		`${ROOM}?fake-slow-10`,
		`${ROOM}?fake-status-400`,
	];
	const { output } = await run(rooms, 6, true);

	expect(output?.map((item) => item.pairedItem)).toEqual(rooms.map((_, item) => ({ item })));
	const refIdFor = (imageUrl: string) => fake.requests.find((r) => r.body?.imageUrl === imageUrl)?.refId;
	expect(output?.map((item) => item.json.refId ?? item.json.error)).toEqual([
		refIdFor(rooms[0]),
		'Spacely had a server error (500)',
		refIdFor(rooms[2]),
		'Image URL "not a url" is not a public http(s) link [item 3]',
		refIdFor(rooms[4]),
		'Spacely rejected the request: Forced status 400 for testing',
	]);
	expect(output?.[0].json.imageUrl).toBe(rooms[0]);
	expect(output?.[4].json.imageUrl).toBe(rooms[4]);
});

test('one failing item does not stall the others', async () => {
	const rooms = [`${ROOM}?fake-slow-1500&fake-status-500`, ...Array.from({ length: 8 }, (_, i) => `${ROOM}?ok=${i}`)];
	const { output } = await run(rooms, 2, true);

	expect(output?.[0].json.error).toBe('Spacely had a server error (500)');
	expect(output?.slice(1).every((item) => typeof item.json.refId === 'string')).toBe(true);
	// While the first item was still waiting for its answer, the second slot went through the rest.
	const slowFailure = fake.requests.find((r) => r.status === 500)!;
	const othersDuringIt = fake.requests.filter(
		(r) => r.status === 200 && r.receivedAt < slowFailure.receivedAt + 1500,
	);
	expect(othersDuringIt).toHaveLength(8);
});

describe('without Continue On Fail, no render is started once an item failed', () => {
	const posts = () => fake.requests.filter((r) => r.method === 'POST');

	test('one request at a time: the good photos after a 502 are never posted', async () => {
		const rooms = [`${ROOM}?fake-html-502`, `${ROOM}?ok=1`, `${ROOM}?ok=2`, `${ROOM}?ok=3`];
		const { error } = await run(rooms, 1);

		expect(error?.message).toBe('Spacely had a server error (502)');
		expect(posts().map((r) => r.body.imageUrl)).toEqual([rooms[0]]);
	});

	test('nor is the resend of a render Spacely refused (429); the run fails with the error of the item that failed', async () => {
		const refused = `${ROOM}?fake-429-then-ok-1`;
		const { error } = await run([refused, `${ROOM}?fake-slow-100&fake-status-400`], 2);

		expect(error?.message).toBe('Spacely rejected the request: Forced status 400 for testing');
		expect(posts().filter((r) => r.body.imageUrl === refused)).toHaveLength(1);
	});

	test('items already waiting for the rate cap when another fails are not posted either', async () => {
		const rooms = [`${ROOM}?fake-status-400`, ...Array.from({ length: 6 }, (_, i) => `${ROOM}?ok=${i}`)];
		// Two requests a second: the 400 and one good photo go out, the others wait for the cap.
		const { error } = await runSpacelyWorkflow({
			items: rooms.map((imageUrl) => ({ imageUrl })),
			parameters: { imageUrl: '={{ $json.imageUrl }}', options: { maxConcurrency: 6 } },
			credentials: { apiKey: API_KEY, baseUrl: fake.url, requestsPerSecond: 2 },
		});

		expect(error?.message).toBe('Spacely rejected the request: Forced status 400 for testing');
		const failed = fake.requests.find((r) => r.status === 400)!;
		expect(posts().filter((r) => r.receivedAt > failed.finishedAt!)).toEqual([]);
		expect(posts().length).toBeLessThanOrEqual(2);
	});
});

test('a render being waited for holds no request slot: every render is started before the first is done', async () => {
	const rooms = Array.from({ length: 6 }, (_, i) => `${ROOM}?n=${i}`);
	const { output } = await runSpacelyWorkflow({
		items: rooms.map((imageUrl) => ({ imageUrl })),
		parameters: {
			imageUrl: '={{ $json.imageUrl }}',
			options: { maxConcurrency: 2, waitForCompletion: true, pollInterval: 0.2 },
		},
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
	});

	expect(output?.map((item) => item.json.status)).toEqual(rooms.map(() => 'success'));
	const posts = fake.requests.filter((r) => r.method === 'POST');
	const firstPoll = fake.requests.find((r) => r.method === 'GET')!;
	expect(posts).toHaveLength(6);
	// With renders holding slots, only 2 would be posted before the first poll (0.2 s later).
	expect(posts.every((post) => post.receivedAt < firstPoll.receivedAt)).toBe(true);
	expect(fake.maxInFlight()).toBeLessThanOrEqual(2);
});

test('"Custom API Call", which n8n adds to the operations, points to the HTTP Request node', async () => {
	const { error } = await runSpacelyWorkflow({
		items: [{}],
		parameters: { operation: '__CUSTOM_API_CALL__' },
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
	});

	expect(error?.message).toBe('Custom API Call is done with the HTTP Request node');
	expect((error as { description?: string }).description).toMatch(/Predefined Credential Type.*Spacely API/);
	expect(fake.requests).toHaveLength(0);
});

describe('Max Paid Renders per Run (version 2)', () => {
	const render = (maxPaidRenders?: number) => ({
		resource: 'render',
		operation: 'generateAdvance',
		imageUrl: '={{ $json.imageUrl }}',
		prompt: 'modern',
		output: 'refId',
		requestSettings: maxPaidRenders === undefined ? {} : { maxPaidRenders },
	});
	const rooms = (count: number) => Array.from({ length: count }, (_, i) => ({ imageUrl: `${ROOM}?cap=${i}` }));

	test('more items than the cap: the node fails before sending anything, and says how many it would have started', async () => {
		const { error, output } = await runV2(fake, render(2), rooms(3));

		expect(output).toBeUndefined();
		expect(error?.message).toBe('This run would start 3 paid renders, more than Max Paid Renders per Run (2)');
		expect((error as { description?: string }).description).toMatch(/^Nothing was sent to Spacely, so no credits were spent/);
		expect(fake.requests).toHaveLength(0);
	});

	test('up to the cap, and without one, every item renders', async () => {
		expect((await runV2(fake, render(3), rooms(3))).output).toHaveLength(3);
		expect((await runV2(fake, render(), rooms(5))).output).toHaveLength(5);
		expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(8);
	});
});

test('the node fails with the earliest failure, naming the renders later failed items had started', async () => {
	const { error } = await runV2(
		fake,
		{
			resource: 'render',
			operation: 'generateAdvance',
			imageUrl: '={{ $json.imageUrl }}',
			output: 'imageLinks',
			waitSettings: { firstCheckAfter: 0.05 },
		},
		[{ imageUrl: `${ROOM}?fake-slow-400-fake-status-400` }, { imageUrl: `${ROOM}?fake-render-fails` }],
	);

	const failedRender = fake.refIdFor(`${ROOM}?fake-render-fails`);
	expect(error?.message).toMatch(/400/);
	expect((error as { description?: string }).description).toContain(`(ref ids: ${failedRender})`);
});
