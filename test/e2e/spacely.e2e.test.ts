/**
 * End to end: the packed package installed into a real n8n (scripts/n8n-runtime.js) runs the
 * workflows saved with version 1 of the node (test/e2e/workflows/*.json, kept as they were saved)
 * through n8n's CLI against the fake Spacely server. Version 2: spacely-v2.e2e.test.ts.
 * scripts/test-e2e.js runs this file once per supported n8n version.
 */
import { expectSuccess } from './expect-success';
import {
	databaseContains,
	e2eN8nDescription,
	readWorkflow,
	workflowFiles,
	type ExecutionRun,
} from './harness';
import { useE2eN8n } from './use-e2e-n8n';

const { keys, fake, n8n } = useE2eN8n({
	workflows: workflowFiles(),
	moreCredentials: (baseUrl, { wrong }) => [
		{ id: 'e2eWrongKey', name: 'e2eWrongKey', type: 'spacelyApi', data: { apiKey: wrong, baseUrl } },
	],
});

beforeEach(() => fake.reset());

function roomsOf(file: string): Array<Record<string, string>> {
	const rooms = readWorkflow(file).nodes.find((n) => n.name === 'Rooms');
	return JSON.parse(rooms!.parameters.jsonOutput).rooms;
}

function spacelyOutput(run: ExecutionRun | undefined, nodeName = 'Spacely') {
	return run?.data.resultData.runData[nodeName]?.[0]?.data?.main[0];
}

const posts = () => fake.requests.filter((r) => r.method === 'POST');

describe(`workflows on ${e2eN8nDescription()}`, () => {
	test('happy path: one ref id per room, pairedItem kept, exact body, expressions resolved per item', async () => {
		const rooms = roomsOf('happy-path.json');
		const result = await n8n.execute('e2eHappyPath');
		const { run, output } = result;

		expectSuccess(result);
		expect(fake.issuedRefIds()).toHaveLength(rooms.length);
		expect(spacelyOutput(run)).toEqual(
			rooms.map((room, item) => ({
				json: {
					refId: fake.refIdFor(room.photo),
					model: room.model,
					imageUrl: room.photo,
					prompt: room.style,
					renovateType: room.renovateType,
				},
				pairedItem: { item },
			})),
		);
		// Items run concurrently: match each request to its room by image URL.
		expect(rooms.map((room) => posts().find((r) => r.body.imageUrl === room.photo)?.rawBody).map((raw) => JSON.parse(raw!))).toEqual(
			rooms.map((room) => ({
				model: room.model,
				imageUrl: room.photo,
				prompt: room.style,
				nPrompt: room.avoid,
				renovateType: room.renovateType,
			})),
		);
		expect(posts().every((r) => r.headers['x-api-key'] === keys.good)).toBe(true);
		expect(output).not.toContain(keys.good);
	});

	test('Continue On Fail: the 500 and 400 items carry a readable error, the others succeed', async () => {
		const result = await n8n.execute('e2eContinueOnFail');
		const { run } = result;

		expectSuccess(result);
		const items = spacelyOutput(run)!;
		const rooms = roomsOf('continue-on-fail.json');
		expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items.map((i) => i.json.refId ?? i.json.error)).toEqual([
			fake.refIdFor(rooms[0].photo),
			'Spacely had a server error (500)',
			fake.refIdFor(rooms[2].photo),
			'Spacely rejected the request: Forced status 400 for testing',
			fake.refIdFor(rooms[4].photo),
		]);
		expect(fake.issuedRefIds()).toHaveLength(3);
		expect(posts()).toHaveLength(5);
	});

	test('without Continue On Fail the run fails with the earliest failed item\'s error', async () => {
		const { ok, run, output } = await n8n.execute('e2eStopOnFail');

		expect(ok).toBe(false);
		expect(run?.data.resultData.error?.message).toBe('Spacely had a server error (500)');
		expect(run?.data.resultData.runData.Spacely[0].error?.message).toBe('Spacely had a server error (500)');
		expect(output).toContain('Spacely had a server error (500)');
		// The five items fit in one round of Max Concurrent Requests (10): all started at once, each
		// sent at most once; one not yet sent when the 500 came back is not sent at all.
		const rooms = roomsOf('stop-on-fail.json');
		expect(posts().filter((r) => r.body.imageUrl === rooms[1].photo)).toHaveLength(1);
		expect(new Set(posts().map((r) => r.body.imageUrl)).size).toBe(posts().length);
		expect(posts().length).toBeLessThanOrEqual(5);
	});

	test('a wrong key fails with the 401 message and the key appears nowhere in run data, logs or the database', async () => {
		const { ok, run, output } = await n8n.execute('e2eWrongKey');

		expect(ok).toBe(false);
		expect(run?.data.resultData.error?.message).toBe(
			'The API key was rejected; check the Spacely API credential',
		);
		expect(posts()).toHaveLength(1);
		expect(posts()[0].headers['x-api-key']).toBe(keys.wrong);
		expect(output).not.toContain(keys.wrong);
		expect(databaseContains(n8n, keys.wrong)).toBe(false);
		// The same check finds what is there: the error message is stored in plain text.
		expect(databaseContains(n8n, 'The API key was rejected')).toBe(true);
	});

	test('Generate Advance then Get Result yields the image URLs of each render', async () => {
		const result = await n8n.execute('e2eGenerateThenGet');
		const { run } = result;

		expectSuccess(result);
		const issued = roomsOf('generate-then-get-result.json').map((room) => fake.refIdFor(room.photo));
		expect(spacelyOutput(run, 'Get Result')).toEqual(
			issued.map((refId, item) => ({
				json: { refId, status: 'success', images: [1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`) },
				pairedItem: { item },
			})),
		);
	});

	test('Wait for Completion with Download Images yields each render as four PNG files', async () => {
		const result = await n8n.execute('e2eWaitAndDownload');
		const { run } = result;

		expectSuccess(result);
		const items = spacelyOutput(run)!;
		expect(items).toHaveLength(8);
		const issued = roomsOf('wait-and-download.json').map((room) => fake.refIdFor(room.photo));
		items.forEach((item, index) => {
			const refId = issued[Math.floor(index / 4)];
			expect(item.pairedItem).toEqual({ item: Math.floor(index / 4) });
			expect(item.json).toMatchObject({ refId, status: 'success', imageIndex: index % 4 });
			expect(item.binary?.data).toMatchObject({
				mimeType: 'image/png',
				fileName: `${refId}-${(index % 4) + 1}.png`,
				fileSize: expect.stringMatching(/^2\.\d+ kB$/),
			});
		});
		const downloads = fake.requests.filter((r) => r.path.startsWith('/renders/'));
		expect(downloads).toHaveLength(8);
		expect(downloads.some((r) => r.headers['x-api-key'] !== undefined)).toBe(false);
	});

	test('waiting: a failed render and a timed-out one become error items that keep their ref ids', async () => {
		const result = await n8n.execute('e2eWaitFailures');
		const { run } = result;

		expectSuccess(result);
		const [failed, timedOut] = roomsOf('wait-failures.json').map((room) => fake.refIdFor(room.photo));
		expect(spacelyOutput(run)?.map((item) => item.json)).toEqual([
			expect.objectContaining({ error: `The render with ref id "${failed}" failed (status "failed")`, refId: failed }),
			expect.objectContaining({ error: `The render with ref id "${timedOut}" was not done after 2 seconds`, refId: timedOut }),
		]);
		expect(posts()).toHaveLength(2);
		expect(fake.pollCount(timedOut!)).toBeGreaterThan(1);
	});
});
