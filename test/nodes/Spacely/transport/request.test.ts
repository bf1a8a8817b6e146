import type { IDataObject } from 'n8n-workflow';

import { useFakeSpacely } from '../../../helpers/use-fake-spacely';
import { runSpacelyWorkflow } from '../../../helpers/run-workflow';

const API_KEY = 'sk-transport-test';
const ROOM = 'https://example.com/photos/room.jpg';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });

function run(imageUrls: string[], options: IDataObject = {}, continueOnFail = false) {
	return runSpacelyWorkflow({
		items: imageUrls.map((imageUrl) => ({ imageUrl })),
		parameters: { imageUrl: '={{ $json.imageUrl }}', options },
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
		continueOnFail,
	});
}

const arrivalsFor = (imageUrl: string) =>
	fake.requests.filter((r) => r.body?.imageUrl === imageUrl).map((r) => r.receivedAt);

describe('429: Spacely refused the request, so it is sent again', () => {
	test('after at least Retry-After seconds, then succeeds', async () => {
		const imageUrl = `${ROOM}?fake-429-then-ok-1`;
		const { output, error } = await run([imageUrl]);

		expect(error).toBeUndefined();
		expect(output?.[0].json.refId).toBe(fake.issuedRefIds()[0]);
		const [refused, accepted] = arrivalsFor(imageUrl);
		expect(arrivalsFor(imageUrl)).toHaveLength(2);
		expect(accepted - refused).toBeGreaterThanOrEqual(1000);
	});

	test('Retry-After as an HTTP date is honoured too', async () => {
		const imageUrl = `${ROOM}?fake-429-date-3`;
		const { output } = await run([imageUrl]);

		expect(output?.[0].json.refId).toBe(fake.issuedRefIds()[0]);
		const [refused, accepted] = arrivalsFor(imageUrl);
		// An HTTP date has whole seconds: "3 s from now" is more than 2 s away.
		expect(accepted - refused).toBeGreaterThanOrEqual(1900);
	});

	test('without Retry-After: a bounded number of attempts, backing off, then a clear error', async () => {
		const imageUrl = `${ROOM}?fake-429-always`;
		const { error } = await run([imageUrl]);

		expect(error?.message).toBe('Spacely refused the request: too many requests (429)');
		expect((error as { description?: string }).description).toMatch(/refused it 4 times.*not started/);
		const arrivals = arrivalsFor(imageUrl);
		expect(arrivals).toHaveLength(4);
		const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]);
		expect(gaps[2]).toBeGreaterThan(gaps[0]);
	});

	test('a Retry-After longer than the node waits fails at once and says how long', async () => {
		const imageUrl = `${ROOM}?fake-429-then-ok-120`;
		const { error } = await run([imageUrl]);

		expect((error as { description?: string }).description).toMatch(/asked to wait 120 seconds/);
		expect(arrivalsFor(imageUrl)).toHaveLength(1);
	});
});

describe('5xx after a POST', () => {
	test('is not sent again by default: the render may have started', async () => {
		const imageUrl = `${ROOM}?fake-500-once`;
		const { error } = await run([imageUrl]);

		expect(error?.message).toBe('Spacely had a server error (500)');
		expect(arrivalsFor(imageUrl)).toHaveLength(1);
	});

	test('is sent again when the user accepts the risk of a double charge', async () => {
		const imageUrl = `${ROOM}?fake-500-once`;
		const { output } = await run([imageUrl], { retryServerErrors: true });

		expect(output?.[0].json.refId).toBe(fake.issuedRefIds()[0]);
		expect(arrivalsFor(imageUrl)).toHaveLength(2);
	});
});

test('a redirect is not followed, so the key goes nowhere else, and says what to change', async () => {
	const { error } = await run([`${ROOM}?fake-redirect`]);

	expect(error?.message).toBe(`The Base URL redirects (HTTP 307 to ${fake.url}/moved)`);
	expect((error as { description?: string }).description).toContain('set it as the Base URL');
	expect(fake.requests.map((r) => r.path)).toEqual(['/api/v1/generate/advance']);
});

describe('rate cap per account', () => {
	const rooms = (count: number, tag: string) =>
		Array.from({ length: count }, (_, i) => `${ROOM}?${tag}-${i}`);

	test('no one-second window sees more requests than Max Requests per Second', async () => {
		const { output } = await run(rooms(45, 'cap'), { maxRequestsPerSecond: 15, maxConcurrency: 45 });

		expect(output).toHaveLength(45);
		expect(fake.requests).toHaveLength(45);
		expect(fake.peakPerSecond()).toBeLessThanOrEqual(15);
		// The cap is used, not undershot: a full window's worth went out at once.
		expect(fake.peakPerSecond()).toBe(15);
	});

	test('is never above 100 per second (Spacely\'s limit), whatever an expression asks for', async () => {
		const { output } = await runSpacelyWorkflow({
			items: rooms(130, 'clamp').map((imageUrl) => ({ imageUrl })),
			parameters: { imageUrl: '={{ $json.imageUrl }}', options: { maxRequestsPerSecond: '={{ 500 }}', maxConcurrency: 100 } },
			// The account budget in the credential allows all of Spacely's limit.
			credentials: { apiKey: API_KEY, baseUrl: fake.url, requestsPerSecond: 100 },
		});

		expect(output).toHaveLength(130);
		expect(fake.peakPerSecond()).toBe(100);
	});

	test('holds for one key whatever the spelling of the base URL', async () => {
		const [first, second] = await Promise.all([
			run(rooms(25, 'lower'), { maxRequestsPerSecond: 15, maxConcurrency: 25 }),
			runSpacelyWorkflow({
				items: rooms(25, 'upper').map((imageUrl) => ({ imageUrl })),
				parameters: { imageUrl: '={{ $json.imageUrl }}', options: { maxRequestsPerSecond: 15, maxConcurrency: 25 } },
				credentials: { apiKey: API_KEY, baseUrl: `${fake.url.toUpperCase()}/` },
			}),
		]);

		expect(first.output).toHaveLength(25);
		expect(second.output).toHaveLength(25);
		expect(fake.peakPerSecond()).toBeLessThanOrEqual(15);
	});

	test('holds across two executions running at the same time', async () => {
		const [first, second] = await Promise.all([
			run(rooms(25, 'first'), { maxRequestsPerSecond: 15, maxConcurrency: 25 }),
			run(rooms(25, 'second'), { maxRequestsPerSecond: 15, maxConcurrency: 25 }),
		]);

		expect(first.output).toHaveLength(25);
		expect(second.output).toHaveLength(25);
		expect(fake.requests).toHaveLength(50);
		expect(fake.peakPerSecond()).toBeLessThanOrEqual(15);
	});
});
