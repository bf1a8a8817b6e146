import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { renderImage } from '../../fake-spacely/render-image';
import { startFakeSpacely } from '../../fake-spacely/server';
import { useFakeSpacely } from '../../helpers/use-fake-spacely';
import { runSpacelyWorkflow, startSpacelyWorkflow } from '../../helpers/run-workflow';

// Each test its own account: what the node learns about one account's render times (see
// pollSchedule.test.ts) must not make tests depend on the order they run in.
const API_KEYS = Array.from({ length: 20 }, (_, i) => `sk-wait-${i}`);
let API_KEY = API_KEYS[0];
beforeEach(() => (API_KEY = API_KEYS[API_KEYS.indexOf(API_KEY) + 1]));
const ROOM = 'https://example.com/photos/room.jpg';

// Two "processing" answers, then "success": the third poll brings the images.
const fake = useFakeSpacely({ apiKeys: API_KEYS, pollsUntilDone: 2 });

const waitOptions = (extra: IDataObject = {}) => ({ waitForCompletion: true, pollInterval: 0.1, ...extra });

function generate(imageUrls: string[], options: IDataObject = waitOptions(), continueOnFail = false) {
	return {
		items: imageUrls.map((imageUrl) => ({ imageUrl })),
		parameters: { imageUrl: '={{ $json.imageUrl }}', options },
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
		continueOnFail,
	};
}

const polls = () => fake.requests.filter((r) => r.path === '/api/v1/generate/poll-result');
const posts = () => fake.requests.filter((r) => r.method === 'POST');

test('Wait for Completion outputs the ref id, status success and the images, within the poll budget', async () => {
	const { output, error } = await runSpacelyWorkflow(generate([ROOM]));

	expect(error).toBeUndefined();
	const [refId] = fake.issuedRefIds();
	expect(output).toEqual([
		{
			json: {
				refId,
				model: 'spacely-v1',
				imageUrl: ROOM,
				prompt: '',
				renovateType: 'residential',
				status: 'success',
				images: [1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`),
			},
			pairedItem: { item: 0 },
		},
	]);
	expect(fake.pollCount(refId)).toBe(3);
	expect(posts()).toHaveLength(1);
});

test('no poll comes before First Poll After', async () => {
	const slow = await startFakeSpacely({ apiKeys: [API_KEY], pollsUntilDone: 5 });
	const { error } = await runSpacelyWorkflow({
		...generate([ROOM], waitOptions({ pollInterval: 0.5 })),
		credentials: { apiKey: API_KEY, baseUrl: slow.url },
	});

	expect(error).toBeUndefined();
	const [post, firstPoll] = slow.requests;
	expect(slow.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET']);
	expect(firstPoll.receivedAt - post.receivedAt).toBeGreaterThanOrEqual(495);
	await slow.close();
});

test('Wait for Completion with Download Images: one item per image with the PNG as binary data', async () => {
	const { output, error } = await runSpacelyWorkflow(generate([ROOM, `${ROOM}?second`], waitOptions({ downloadImages: true })));

	expect(error).toBeUndefined();
	expect(output).toHaveLength(8);
	expect(output!.map((item) => item.pairedItem)).toEqual([0, 0, 0, 0, 1, 1, 1, 1].map((item) => ({ item })));
	for (const item of output!) {
		const image = item.binary!.data;
		expect(image.mimeType).toBe('image/png');
		expect(image.fileName).toMatch(/^[0-9a-f-]{36}-[1-4]\.png$/);
		const imageNumber = Number(/-(\d)\.png$/.exec(image.fileName!)![1]);
		expect(Buffer.from(image.data, 'base64').equals(renderImage(imageNumber))).toBe(true);
		expect(item.json.status).toBe('success');
	}
	expect(output![4].json.imageUrl).toBe(`${ROOM}?second`);
});

test('a render that fails is an error naming the ref id and status; it is not started again', async () => {
	const { error } = await runSpacelyWorkflow(generate([`${ROOM}?fake-render-fails`]));

	const [refId] = fake.issuedRefIds();
	expect(error?.message).toBe(`The render with ref id "${refId}" failed (status "failed")`);
	expect(posts()).toHaveLength(1);
});

test('a failed render is named as such when Spacely sends its status only, without a result list', async () => {
	const { output } = await runSpacelyWorkflow(generate([`${ROOM}?fake-failed-no-result`], waitOptions(), true));

	const [refId] = fake.issuedRefIds();
	expect(output?.[0].json).toEqual({
		error: `The render with ref id "${refId}" failed (status "failed")`,
		description: 'Spacely reported that this render did not succeed, so there are no images to fetch. Start a new render for this item.',
		refId,
	});
	expect(posts()).toHaveLength(1);
});

test('a timeout names the ref id and the time waited; the render is never posted again', async () => {
	const { error } = await runSpacelyWorkflow(generate([`${ROOM}?fake-render-never`], waitOptions({ waitTimeout: 1 })));

	const [refId] = fake.issuedRefIds();
	expect(error?.message).toBe(`The render with ref id "${refId}" was not done after 1 seconds`);
	expect((error as { description?: string }).description).toContain('Get Result');
	expect(posts()).toHaveLength(1);
});

describe('a poll outage (polls are free) is waited out until the Wait Timeout', () => {
	const pollsOf = (refId: string) => polls().filter((r) => r.query.refId === refId);

	test('an error page, a cut-off or empty answer, a reset: polled again, backing off, until it is over', async () => {
		const rooms = ['outage', 'truncated', 'empty', 'reset'].map((fault) => `${ROOM}?fake-poll-${fault}-4000`);
		const { output, error } = await runSpacelyWorkflow(generate(rooms, waitOptions({ maxConcurrency: 4, waitTimeout: 30 })));

		expect(error).toBeUndefined();
		expect(output?.map((item) => item.json.status)).toEqual(['success', 'success', 'success', 'success']);
		expect(posts()).toHaveLength(4);
		// Polled every 0.1 s (First Poll After), each would have been polled about 40 times.
		for (const refId of fake.issuedRefIds()) expect(pollsOf(refId).length).toBeLessThanOrEqual(8);
	});

	test('an outage beyond the Wait Timeout fails then, with the ref id: still running or unknown', async () => {
		const { output } = await runSpacelyWorkflow(generate([`${ROOM}?fake-poll-outage-999999`], waitOptions({ waitTimeout: 3 }), true));

		const [refId] = fake.issuedRefIds();
		expect(output?.[0].json.error).toMatch(
			new RegExp(`^Could not check on the render with ref id "${refId}": Spacely did not answer properly for \\d seconds$`),
		);
		expect(output?.[0].json.description).toMatch(
			new RegExp(`^The render is still running or unknown; it was not started again. Fetch it later with Get Result and ref id ${refId}, or raise Options → Wait Timeout. The last check got: Spacely had a server error \\(503\\). The response was an HTML page`),
		);
		expect(output?.[0].json.refId).toBe(refId);
		expect(posts()).toHaveLength(1);
		// It gave up at the Wait Timeout (3 s after the render was accepted), not before, nor long after.
		const accepted = posts()[0].finishedAt!;
		const lastPoll = pollsOf(refId).at(-1)!;
		expect(lastPoll.receivedAt - accepted).toBeGreaterThanOrEqual(2900);
		expect(lastPoll.receivedAt - accepted).toBeLessThan(4500);
		expect(pollsOf(refId).length).toBeLessThanOrEqual(6);
	});

	test('a 403 on a poll is no outage: the item fails at once', async () => {
		const { error } = await runSpacelyWorkflow(generate([`${ROOM}?fake-poll-denied-999999`], waitOptions({ waitTimeout: 30 })));

		expect(error?.message).toBe('The API key was rejected; check the Spacely API credential');
		expect(polls()).toHaveLength(1);
	});
});

test('stopping the execution stops the polling at once', async () => {
	const { result, cancel } = startSpacelyWorkflow(generate([`${ROOM}?fake-render-never`], waitOptions({ pollInterval: 0.2 })));
	await until(() => polls().length >= 2);
	cancel();
	await result.catch(() => undefined);
	const pollsAtCancel = polls().length;

	await sleep(1500);
	expect(polls().length).toBe(pollsAtCancel);
});

test('without Continue On Fail, a failure stops the other items waiting, and the error names their renders', async () => {
	const waiting = `${ROOM}?fake-render-never`;
	const failing = `${ROOM}?fake-slow-100&fake-status-400`;
	// Without the stop, the first item would wait the whole minute before the node failed.
	const { error } = await runSpacelyWorkflow(generate([waiting, failing], waitOptions({ maxConcurrency: 2, waitTimeout: 60 })));

	expect(error?.message).toBe('Spacely rejected the request: Forced status 400 for testing');
	expect((error as { description?: string }).description).toContain(
		`Other items had already started renders, which were paid for (ref ids: ${fake.refIdFor(waiting)})`,
	);
	expect(posts()).toHaveLength(2);
});

test('a render downloaded as four images is named once in such an error', async () => {
	const failing = `${ROOM}?fake-slow-1500&fake-status-400`;
	const { error } = await runSpacelyWorkflow(generate([ROOM, failing], waitOptions({ maxConcurrency: 2, downloadImages: true })));

	expect(error?.message).toBe('Spacely rejected the request: Forced status 400 for testing');
	expect((error as { description?: string }).description).toContain(`(ref ids: ${fake.refIdFor(ROOM)})`);
});

test('many items wait at the same time, not one after another', async () => {
	const rooms = Array.from({ length: 5 }, (_, i) => `${ROOM}?room=${i}`);
	const { output } = await runSpacelyWorkflow(generate(rooms, waitOptions({ maxConcurrency: 5 })));

	expect(output?.map((item) => item.json.status)).toEqual(rooms.map(() => 'success'));
	// Every render was being waited for before the first one was seen done.
	const lastPollOfFirst = Math.max(...polls().filter((r) => r.query.refId === output![0].json.refId).map((r) => r.receivedAt));
	const lastPost = Math.max(...posts().map((r) => r.receivedAt));
	expect(lastPost).toBeLessThan(lastPollOfFirst);
});

test('Continue On Fail: a failed render becomes an error item, the others get their images', async () => {
	const { output } = await runSpacelyWorkflow(generate([ROOM, `${ROOM}?fake-render-fails`, `${ROOM}?ok`], waitOptions(), true));

	const failedRefId = fake.refIdFor(`${ROOM}?fake-render-fails`);
	expect(output?.map((item) => item.json.status ?? item.json.error)).toEqual([
		'success',
		`The render with ref id "${failedRefId}" failed (status "failed")`,
		'success',
	]);
	// The render was started: its ref id is kept on the error item, for Get Result later.
	expect(output?.[1].json.refId).toBe(failedRefId);
});

async function until(condition: () => boolean) {
	while (!condition()) await sleep(20);
}

test('Download Images without Wait for Completion is caught before any render is started', async () => {
	const { error } = await runSpacelyWorkflow(generate([ROOM], { downloadImages: true }));

	expect(error?.message).toBe('Download Images needs Wait for Completion');
	expect(fake.requests).toHaveLength(0);
});
