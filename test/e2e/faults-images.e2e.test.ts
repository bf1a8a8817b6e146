/**
 * End to end, in a real n8n: image links that misbehave, one fault per photo
 * (test/e2e/workflows/faults-images/): a web page answering 200, the same page as octet-stream, an
 * image trickling past Request Timeout (2 s), a render with no images, expired links, and two that
 * must work (images sent as octet-stream, a render with twelve images). One run with Continue On
 * Fail, one without, as every n8n CLI run costs seconds. scripts/test-e2e.js runs this file once
 * per supported n8n version.
 */
import { sleep } from 'n8n-workflow';

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

const CONTINUE = 'faults-images/continue-on-fail.json';
const STOP = 'faults-images/stop-on-fail.json';

const { keys, fake, n8n } = useE2eN8n({
	workflows: [workflowFile(CONTINUE), workflowFile(STOP)],
});

type LoggedRequest = (typeof fake.requests)[number];

/** The photos of a workflow, by the fault each one meets. */
function photosOf(file: string): Record<string, string> {
	const rooms = readWorkflow(file).nodes.find((node) => node.name === 'Rooms');
	const list: Array<{ fault: string; photo: string }> = JSON.parse(rooms!.parameters.jsonOutput).rooms;
	return Object.fromEntries(list.map(({ fault, photo }) => [fault, photo]));
}

/** Runs a workflow; keeps what the fake server received during the run. */
async function execute(workflowId: string) {
	fake.reset();
	const result = await n8n.execute(workflowId);
	// n8n has closed its connections when it exits; give the server a moment to log their close.
	await until(() => downloads().every((r) => r.finishedAt !== undefined || r.abortedAt !== undefined));
	return { ...result, requests: [...fake.requests] };
}

async function until(condition: () => boolean) {
	for (let turn = 0; turn < 100 && !condition(); turn++) await sleep(20);
}

const downloads = (requests: LoggedRequest[] = fake.requests) => requests.filter((r) => r.path.startsWith('/renders/'));

function itemsOf(run: ExecutionRun | undefined): NodeItem[] {
	return run?.data.resultData.runData.Spacely?.[0]?.data?.main[0] ?? [];
}

/** Every photo was POSTed exactly once: no fault made the node start a paid render again. */
function expectOnePostPerPhoto(requests: LoggedRequest[], photos: Record<string, string>) {
	const posted = requests.filter((r) => r.method === 'POST').map((r) => r.body.imageUrl);
	expect(posted.sort()).toEqual(Object.values(photos).sort());
}

/** The trickling image was given up at Request Timeout: the server saw every such request closed early. */
function expectTrickleCutOff(requests: LoggedRequest[], refId: string) {
	const trickled = downloads(requests).filter((r) => r.path.includes(refId));
	expect(trickled.length).toBeGreaterThan(0);
	expect(trickled.filter((r) => r.abortedAt === undefined)).toEqual([]);
}

function expectKeyNowhere(output: string) {
	expect(output).not.toContain(keys.good);
	expect(databaseContains(n8n, keys.good)).toBe(false);
}

const paidAndGetAgain = (refId: string) =>
	`The render succeeded and was paid for, so do not start it again: get fresh image links with Result → Get and ref id ${refId} (image links can expire), and download them.`;

describe(`image link faults with Continue On Fail, on ${e2eN8nDescription()}`, () => {
	const photos = photosOf(CONTINUE);
	let result: Awaited<ReturnType<typeof execute>>;
	const refIdOf = (fault: string) => result.requests.find((r) => r.refId && r.body?.imageUrl === photos[fault])!.refId!;
	/** The output items of the photo that met this fault. */
	const itemsFor = (fault: string) => {
		const index = Object.keys(photos).indexOf(fault);
		return itemsOf(result.run).filter((item) => (item.pairedItem as { item: number }).item === index);
	};
	const errorFor = (fault: string) => {
		const items = itemsFor(fault);
		expect(items).toHaveLength(1);
		return items[0].json;
	};

	beforeAll(async () => {
		result = await execute('e2eFaultsImagesContinue');
	});

	test('the run succeeds; each photo was posted once; the key is nowhere, not sent to the image host', () => {
		expectSuccess(result);
		expectOnePostPerPhoto(result.requests, photos);
		expect(downloads(result.requests).some((r) => r.headers['x-api-key'] !== undefined)).toBe(false);
		expectKeyNowhere(result.output);
	});

	test('good items still deliver their files: four PNGs, four sent as octet-stream, twelve', () => {
		for (const [fault, count] of [
			['good', 4],
			['images as octet-stream', 4],
			['twelve images', 12],
		] as const) {
			const refId = refIdOf(fault);
			const items = itemsFor(fault);
			expect(items.map((item) => item.json.renderedImageUrl)).toEqual(
				Array.from({ length: count }, (_, index) => `${fake.url}/renders/${refId}-${index + 1}.png`),
			);
			expect(items.every((item) => item.binary?.data.mimeType === 'image/png')).toBe(true);
		}
	});

	test('a web page answering 200 is no image: an error item with the ref id, what came, and what to do', () => {
		const refId = refIdOf('web page with 200');
		const error = errorFor('web page with 200');

		expect(error).toMatchObject({ error: expect.stringMatching(`^Image \\d of 4 of the render with ref id "${refId}" is not an image$`), refId });
		expect(error.description).toMatch('answered with a web page (text/html: "Link expired This link has expired")');
		expect(error.description).toMatch(paidAndGetAgain(refId));
		expect(error.binary).toBeUndefined();
	});

	test('a web page sent as octet-stream is no image either', () => {
		const refId = refIdOf('web page as octet-stream');

		expect(errorFor('web page as octet-stream')).toMatchObject({
			error: expect.stringMatching(`^Image \\d of 4 of the render with ref id "${refId}" is not an image$`),
			description: expect.stringContaining('a file that is not a PNG, JPEG, WebP or GIF image (application/octet-stream'),
			refId,
		});
	});

	test('an image trickling past Request Timeout fails at the timeout, naming the field; nothing waited it out', () => {
		const refId = refIdOf('trickles past Request Timeout');

		expect(errorFor('trickles past Request Timeout')).toMatchObject({
			error: expect.stringMatching(`^Image \\d of 4 of the render with ref id "${refId}" did not arrive within 2 seconds$`),
			description: expect.stringContaining('Raise Request Settings → Request Timeout'),
			refId,
		});
		expectTrickleCutOff(result.requests, refId);
	});

	test('a render with no images is an error item with its ref id, not an empty success', () => {
		const refId = refIdOf('no images');

		expect(errorFor('no images')).toMatchObject({
			error: `The render with ref id "${refId}" succeeded but Spacely sent no images`,
			refId,
		});
	});

	test('expired image links: an error item naming the answer and the ref id', () => {
		const refId = refIdOf('expired links');

		expect(errorFor('expired links')).toMatchObject({
			error: expect.stringMatching(`^Could not download image \\d of 4 of the render with ref id "${refId}"$`),
			description: expect.stringContaining(paidAndGetAgain(refId)),
			refId,
		});
	});
});

describe(`image link faults without Continue On Fail, on ${e2eN8nDescription()}`, () => {
	const photos = photosOf(STOP);
	let result: Awaited<ReturnType<typeof execute>>;

	beforeAll(async () => {
		result = await execute('e2eFaultsImagesStop');
	});

	test('the run fails with the earliest failed item\'s error (the web page), with its ref id and what to do', () => {
		const refId = result.requests.find((r) => r.refId && r.body?.imageUrl === photos['web page with 200'])!.refId!;
		const error = result.run?.data.resultData.error as { message: string; description?: string } | undefined;

		expect(result.ok).toBe(false);
		expect(error?.message).toMatch(new RegExp(`^Image \\d of 4 of the render with ref id "${refId}" is not an image$`));
		expect(error?.description).toMatch(paidAndGetAgain(refId));
		expect(result.output).toMatch(`of the render with ref id "${refId}" is not an image`);
	});

	test('each photo was posted once, the trickle was cut off at its timeout, and the key is nowhere', () => {
		const trickleRefId = result.requests.find((r) => r.refId && r.body?.imageUrl === photos['trickles past Request Timeout'])!.refId!;

		expectOnePostPerPhoto(result.requests, photos);
		expectTrickleCutOff(result.requests, trickleRefId);
		expectKeyNowhere(result.output);
	});
});
