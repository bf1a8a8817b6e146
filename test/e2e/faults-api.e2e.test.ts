/**
 * End to end, when Spacely misbehaves (issue 20): a version-2 Generate Advance in a real n8n gets
 * one fault per photo from the fake Spacely server (test/e2e/workflows/faults/api-*.json; the
 * markers are listed in test/fake-spacely/server.js): proxy pages, cut-off and empty answers, a
 * missing ref id, resets, a timeout, poll outages shorter and longer than Max Wait, failed renders.
 * Two n8n runs, as each costs seconds: one with Continue On Fail, one without. Times come from the
 * fake server's request log, relative to Max Wait. scripts/test-e2e.js runs this file once per
 * supported n8n version.
 */
import { expectSuccess } from './expect-success';
import {
	databaseContains,
	e2eN8nDescription,
	readWorkflow,
	workflowFile,
	type ExecutionRun,
	type NodeItem,
} from './harness';
import { useE2eN8n } from './use-e2e-n8n';

const ROOM = 'https://storage.googleapis.com/spacely/public/image/roomstyle3/living-room.jpg';
/** the workflows' Wait Settings → Max Wait */
const MAX_WAIT_MS = 8000;
/** how late a timer may fire, and an answer travel, on a busy machine */
const SLACK_MS = 2000;

const { keys, fake, n8n } = useE2eN8n({
	workflows: [workflowFile('faults/api-continue-on-fail.json'), workflowFile('faults/api-stop-on-fail.json')],
});

type LoggedRequest = (typeof fake.requests)[number];

/** Runs a workflow; keeps what the fake server received during the run. */
async function execute(workflowId: string) {
	fake.reset();
	const { ok, run, output } = await n8n.execute(workflowId);
	return { ok, run, output, requests: [...fake.requests] };
}

const photo = (marker: string) => `${ROOM}?${marker}`;
const postsFor = (requests: LoggedRequest[], marker: string) =>
	requests.filter((r) => r.method === 'POST' && r.body?.imageUrl === photo(marker));
const pollsOf = (requests: LoggedRequest[], refId: string) =>
	requests.filter((r) => r.path === '/api/v1/generate/poll-result' && r.query.refId === refId);
const imageLinks = (refId: string) => [1, 2, 3, 4].map((n) => `${fake.url}/renders/${refId}-${n}.png`);

function spacelyItems(run: ExecutionRun | undefined): NodeItem[] {
	return run?.data.resultData.runData.Spacely?.[0]?.data?.main[0] ?? [];
}

/** The fault marker of each photo of a workflow, in input order. */
function markersOf(file: string): string[] {
	const rooms = readWorkflow(file).nodes.find((node) => node.name === 'Rooms');
	const photos = JSON.parse(rooms!.parameters.jsonOutput).rooms as Array<{ photo: string }>;
	return photos.map(({ photo: url }) => new URL(url).search.slice(1));
}

const MAY_HAVE_STARTED = /The render may have started|not sent again, because the render may have started/;

describe(`one Spacely fault per photo, Continue On Fail, on ${e2eN8nDescription()}`, () => {
	let result: Awaited<ReturnType<typeof execute>>;
	const markers = markersOf('faults/api-continue-on-fail.json');

	beforeAll(async () => {
		result = await execute('e2eFaultsApiContinue');
	});

	/** The output item of the photo with this marker (items keep input order, paired to their photo). */
	function itemFor(marker: string): NodeItem['json'] {
		const items = spacelyItems(result.run);
		const index = markers.indexOf(marker);
		expect(items[index]?.pairedItem).toEqual({ item: index });
		return items[index].json;
	}

	const refIdFor = (marker: string) => postsFor(result.requests, marker)[0]?.refId;

	test('the run succeeds with one item per photo; every photo was posted exactly once', () => {
		expectSuccess(result);
		expect(spacelyItems(result.run)).toHaveLength(markers.length);
		for (const marker of markers) expect([marker, postsFor(result.requests, marker).length]).toEqual([marker, 1]);
		expect(result.requests.filter((r) => r.method === 'POST')).toHaveLength(markers.length);
		expect(itemFor('ok')).toMatchObject({ refId: refIdFor('ok'), status: 'success', images: imageLinks(refIdFor('ok')!) });
	});

	test.each([
		['fake-html-502', /^Spacely had a server error \(502\)$/, /HTML page.*"502 Bad Gateway nginx"/],
		['fake-truncated-json', /^Spacely sent an unexpected response$/, /not a JSON object.*"\{"data": "4f0c1a"/],
		['fake-empty-json', /^Spacely sent an unexpected response$/, /had no body/],
		['fake-no-data', /^Spacely sent an unexpected response$/, /no "data" field with the ref id/],
		['fake-reset', /^The connection to Spacely broke before it answered$/, /after the request went out, so Spacely may have read it/],
		['fake-slow-5000', /^Spacely did not answer within 3 seconds$/, /timed out/],
	])('%s, on the render request: what happened, and that the render may have started', (marker, message, detail) => {
		const item = itemFor(marker);

		expect(item.error).toMatch(message);
		expect(item.description).toMatch(detail);
		expect(item.description).toMatch(MAY_HAVE_STARTED);
		expect(item.refId).toBeUndefined();
	});

	test('an error that repeats the key shows it masked', () => {
		expect(itemFor('fake-echo-key').error).toBe('Spacely rejected the request: Key *** may not render this image');
	});

	// 4 s: longer than a poll's own resends took before the poll loop learnt to wait outages out.
	test.each(['fake-poll-outage-4000', 'fake-poll-truncated-4000', 'fake-poll-empty-4000', 'fake-poll-reset-4000'])(
		'%s: a poll outage shorter than Max Wait is waited out, backing off; the render comes through',
		(marker) => {
			const refId = refIdFor(marker)!;

			expect(itemFor(marker)).toMatchObject({ refId, status: 'success', images: imageLinks(refId) });
			const polls = pollsOf(result.requests, refId);
			// It met the outage (a poll that got through saw the render done), and did not hammer
			// through it (one poll per First Check After, 0.2 s, would be 10).
			expect(polls.length).toBeGreaterThanOrEqual(2);
			expect(polls.length).toBeLessThanOrEqual(6);
		},
	);

	test('an outage past Max Wait fails at Max Wait, not before, with the ref id: still running or unknown', () => {
		const marker = 'fake-poll-outage-999999';
		const refId = refIdFor(marker)!;
		const item = itemFor(marker);

		expect(item.error).toMatch(
			new RegExp(`^Could not check on the render with ref id "${refId}": Spacely did not answer properly for \\d seconds$`),
		);
		expect(item.description).toContain(
			`The render is still running or unknown; it was not started again. Fetch it later with Result → Get (Wait Until Done waits for it) and ref id ${refId}, or raise Wait Settings → Max Wait.`,
		);
		expect(item.refId).toBe(refId);
		const accepted = postsFor(result.requests, marker)[0].finishedAt!;
		const lastPoll = pollsOf(result.requests, refId).at(-1)!;
		expect(lastPoll.receivedAt - accepted).toBeGreaterThanOrEqual(MAX_WAIT_MS - 100);
		expect(pollsOf(result.requests, refId).length).toBeLessThanOrEqual(8);
	});

	test('failed renders are named, with or without a result list; a 403 on a poll is no outage', () => {
		for (const marker of ['fake-render-fails', 'fake-failed-no-result']) {
			const refId = refIdFor(marker)!;
			expect(itemFor(marker)).toMatchObject({ error: `The render with ref id "${refId}" failed (status "failed")`, refId });
		}
		const denied = refIdFor('fake-poll-denied-999999')!;
		expect(itemFor('fake-poll-denied-999999')).toMatchObject({
			error: 'The API key was rejected; check the Spacely API credential',
			refId: denied,
		});
		expect(pollsOf(result.requests, denied)).toHaveLength(1);
	});

	test('nothing waits past its limits: no render is polled later than Max Wait after it was accepted', () => {
		for (const post of result.requests.filter((r) => r.refId)) {
			const polls = pollsOf(result.requests, post.refId!);
			expect(polls.every((poll) => poll.receivedAt - post.finishedAt! <= MAX_WAIT_MS + SLACK_MS)).toBe(true);
		}
	});

	test("the key appears nowhere: not in the output, the error items, nor n8n's database", () => {
		expect(result.output).not.toContain(keys.good);
		expect(JSON.stringify(result.run)).not.toContain(keys.good);
		expect(databaseContains(n8n, keys.good)).toBe(false);
		// The same check finds what is there: the masked message is stored.
		expect(databaseContains(n8n, 'Key *** may not render this image')).toBe(true);
	});
});

describe(`without Continue On Fail, on ${e2eN8nDescription()}`, () => {
	test('one request at a time, [good, 502, good, good]: no render is posted after the 502; the started one is named', async () => {
		const result = await execute('e2eFaultsApiStop');
		const { ok, run, output, requests } = result;

		expect(ok).toBe(false);
		const error = run?.data.resultData.error as { message: string; description?: string } | undefined;
		expect(error?.message).toBe('Spacely had a server error (502)');
		const posts = requests.filter((r) => r.method === 'POST');
		expect(posts.map((r) => r.body.imageUrl)).toEqual([photo('ok-first'), photo('fake-html-502')]);
		const failed = posts[1];
		expect(requests.filter((r) => r.method === 'POST' && r.receivedAt > failed.finishedAt!)).toEqual([]);
		expect(error?.description).toContain(`ref ids: ${posts[0].refId}`);
		expect(output).not.toContain(keys.good);
		expect(databaseContains(n8n, keys.good)).toBe(false);
	});
});
