import type { IDataObject } from 'n8n-workflow';

import { startFakeSpacely } from '../../../../fake-spacely/server';
import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import type { RunResult } from '../../../../helpers/run-workflow';
import { runSpacelyWorkflow } from '../../../../helpers/run-workflow';

const API_KEY = 'sk-dummy-SECRET-4f1c9e';
const ROOM = 'https://storage.googleapis.com/spacely/public/image/roomstyle3/bathroom-modern.jpg';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });

function run(
	items: IDataObject[],
	parameters: IDataObject = {},
	options: { continueOnFail?: boolean; apiKey?: string; baseUrl?: string } = {},
) {
	return runSpacelyWorkflow({
		items,
		parameters: { imageUrl: '={{ $json.imageUrl }}', prompt: '={{ $json.style }}', ...parameters },
		credentials: { apiKey: options.apiKey ?? API_KEY, baseUrl: options.baseUrl ?? fake.url },
		continueOnFail: options.continueOnFail,
	});
}

function posts() {
	return fake.requests.filter((r) => r.method === 'POST');
}

/** Everything a user could see of a run: output, errors with their stacks and descriptions. */
function visible(result: RunResult): string {
	const error = result.error as (Error & { description?: string }) | undefined;
	return [JSON.stringify(result.run), error?.message, error?.description, error?.stack].join('\n');
}

describe('Generate Advance: success', () => {
	test('outputs the ref id the API issued for each item, with the render fields and pairedItem', async () => {
		const items = [
			{ imageUrl: ROOM, style: 'mid_century' },
			{ imageUrl: 'https://example.com/kitchen.png', style: 'scandinavian' },
			{ imageUrl: 'https://example.com/office.jpg', style: '' },
		];
		const { output, error } = await run(items);

		expect(error).toBeUndefined();
		expect(fake.issuedRefIds()).toHaveLength(3);
		expect(output).toEqual(
			items.map((item, index) => ({
				json: {
					refId: fake.refIdFor(item.imageUrl),
					model: 'spacely-v1',
					imageUrl: item.imageUrl,
					prompt: item.style,
					renovateType: 'residential',
				},
				pairedItem: { item: index },
			})),
		);
	});

	test('sends exactly {model, imageUrl, prompt, nPrompt, renovateType} as JSON with the key header', async () => {
		await run([{ imageUrl: ROOM, style: 'mid_century' }], {
			model: 'spacely-unfurnished-space',
			negativePrompt: 'clutter',
			renovateType: 'commercial',
		});

		expect(posts()).toHaveLength(1);
		const [request] = posts();
		expect(request.path).toBe('/api/v1/generate/advance');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.headers['x-api-key']).toBe(API_KEY);
		expect(JSON.parse(request.rawBody)).toStrictEqual({
			model: 'spacely-unfurnished-space',
			imageUrl: ROOM,
			prompt: 'mid_century',
			nPrompt: 'clutter',
			renovateType: 'commercial',
		});
	});

	test('the key goes in the X-API-KEY header and nowhere else in the request', async () => {
		await run([{ imageUrl: ROOM, style: 'modern' }]);
		const [request] = posts();
		const { 'x-api-key': keyHeader, ...otherHeaders } = request.headers;
		expect(keyHeader).toBe(API_KEY);
		expect(JSON.stringify(otherHeaders) + request.rawBody + JSON.stringify(request.query)).not.toContain(
			API_KEY,
		);
	});

	test('resolves expressions in every field per item', async () => {
		const items = [
			{ img: ROOM, model: 'spacely-style-transfer', style: 'boho', avoid: 'red', type: 'commercial' },
			{ img: 'https://example.com/b.jpg', model: 'spacely-v1', style: 'zen', avoid: '', type: 'residential' },
		];
		const { output } = await run(items, {
			model: '={{ $json.model }}',
			imageUrl: '={{ $json.img }}',
			prompt: '={{ $json.style }}',
			negativePrompt: '={{ $json.avoid }}',
			renovateType: '={{ $json.type }}',
		});

		// Items run concurrently: match each request to its item by image URL.
		expect(items.map((i) => posts().find((r) => r.body.imageUrl === i.img)?.body)).toEqual(
			items.map((i) => ({
				model: i.model,
				imageUrl: i.img,
				prompt: i.style,
				nPrompt: i.avoid,
				renovateType: i.type,
			})),
		);
		expect(output?.map((o) => o.json.model)).toEqual(['spacely-style-transfer', 'spacely-v1']);
	});
});

describe('Generate Advance: bad input is caught before any request', () => {
	test.each([
		['an empty Image URL', { imageUrl: '' }, /Image URL is empty \[item 1\]/],
		['a relative Image URL', { imageUrl: '/photos/room.jpg' }, /Image URL "\/photos\/room.jpg" is not a public http\(s\) link \[item 1\]/],
		['a non-http Image URL', { imageUrl: 'ftp://example.com/room.jpg' }, /Image URL "ftp:\/\/example.com\/room.jpg" is not a public http\(s\) link/],
		['an unknown model', { model: 'spacely-v9' }, /Model "spacely-v9" is not supported \[item 1\]/],
		['an unknown renovate type', { type: 'exterior' }, /Renovate Type "exterior" is not supported \[item 1\]/],
	])('%s names the field, the value and the item', async (_case, bad, message) => {
		const items = [
			{ imageUrl: ROOM, model: 'spacely-v1', type: 'residential' },
			{ imageUrl: ROOM, model: 'spacely-v1', type: 'residential', ...bad },
		];
		const { error, output } = await run(items, {
			model: '={{ $json.model }}',
			renovateType: '={{ $json.type }}',
		});

		expect(output).toBeUndefined();
		expect(error?.message).toMatch(message);
		expect((error as { description?: string }).description).toMatch(/one of|public link/);
		expect(error?.name).toBe('NodeOperationError');
		// Item 1 never reached the API. Item 0 is sent only if it went out before item 1 was read:
		// once the run is failing, no render is started.
		expect(posts().length).toBeLessThanOrEqual(1);
	});
});

describe('Generate Advance: API errors', () => {
	test.each([
		['a 400 with the API message', `${ROOM}?fake-status-400`, /^Spacely rejected the request: Forced status 400 for testing$/],
		['a 500', `${ROOM}?fake-status-500`, /^Spacely had a server error \(500\)$/],
		['a 500 with no body', `${ROOM}?fake-empty-500`, /^Spacely had a server error \(500\)$/],
		['an HTML 502 from a proxy', `${ROOM}?fake-html-502`, /^Spacely had a server error \(502\)$/],
		['a 200 without a ref id', `${ROOM}?fake-no-data`, /^Spacely sent an unexpected response$/],
		['a 200 that is not JSON', `${ROOM}?fake-text-200`, /^Spacely sent an unexpected response$/],
		['a dropped connection', `${ROOM}?fake-drop`, /^The connection to Spacely broke before it answered$/],
	])('%s becomes a readable NodeApiError, sent once', async (_case, imageUrl, message) => {
		const { error } = await run([{ imageUrl, style: 'modern' }]);

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(message);
		expect(posts()).toHaveLength(1);
	});

	test('an HTML body is described in words, not dumped', async () => {
		const { error } = await run([{ imageUrl: `${ROOM}?fake-html-502` }]);
		const { description } = error as { description?: string };
		expect(description).toContain('HTML page');
		expect(description).toContain('502 Bad Gateway nginx');
		expect(description).not.toContain('<html>');
	});

	test('a 5xx after a POST says the request was not repeated, to avoid paying twice', async () => {
		const { error } = await run([{ imageUrl: `${ROOM}?fake-status-503` }]);
		expect((error as { description?: string }).description).toMatch(/not sent again.*credits/);
		expect(posts()).toHaveLength(1);
	});

	test('a wrong key fails with the 401 message and the key appears nowhere', async () => {
		const wrongKey = 'sk-dummy-WRONG-77aa';
		const result = await run([{ imageUrl: ROOM }], {}, { apiKey: wrongKey });

		expect(result.error?.message).toBe('The API key was rejected; check the Spacely API credential');
		expect(result.error?.name).toBe('NodeApiError');
		expect(visible(result)).not.toContain(wrongKey);
		// n8n-core resends a request once after a thrown 401; the node must not let that happen.
		expect(posts()).toHaveLength(1);
	});

	test('an unreachable base URL names the URL and the fix', async () => {
		const closed = await startFakeSpacely();
		await closed.close();
		const { error } = await run([{ imageUrl: ROOM }], {}, { baseUrl: closed.url });

		expect(error?.message).toBe(`Could not reach Spacely at ${closed.url}`);
		expect((error as { description?: string }).description).toMatch(/ECONNREFUSED.*Base URL/);
	});

	test('a timeout names the time waited and is not retried', async () => {
		const { error } = await run([{ imageUrl: `${ROOM}?fake-slow-3000` }], { options: { timeout: 1 } });

		expect(error?.message).toBe('Spacely did not answer within 1 seconds');
		expect((error as { description?: string }).description).toMatch(/not sent again/);
		expect(posts()).toHaveLength(1);
	});

	test('an API message that repeats the key is redacted', async () => {
		const result = await run([{ imageUrl: `${ROOM}?fake-echo-key` }]);

		expect(result.error?.message).toBe('Spacely rejected the request: Key *** may not render this image');
		expect(visible(result)).not.toContain(API_KEY);
	});
});

describe('Generate Advance: Continue On Fail', () => {
	const mixed = [
		{ imageUrl: ROOM, style: 'modern' },
		{ imageUrl: `${ROOM}?fake-status-500`, style: 'modern' },
		{ imageUrl: 'not a url', style: 'modern' },
		{ imageUrl: `${ROOM}?fake-status-400`, style: 'modern' },
		{ imageUrl: 'https://example.com/ok.jpg', style: 'boho' },
	];

	test('failed items become error items paired to their input; the others still run', async () => {
		const { output, error } = await run(mixed, {}, { continueOnFail: true });

		expect(error).toBeUndefined();
		expect(output?.map((o) => o.pairedItem)).toEqual(mixed.map((_, item) => ({ item })));
		expect(output?.[0].json.refId).toBe(fake.refIdFor(mixed[0].imageUrl));
		expect(output?.[4].json.refId).toBe(fake.refIdFor(mixed[4].imageUrl));
		expect(fake.issuedRefIds()).toHaveLength(2);
		expect(output?.[1].json).toEqual({
			error: 'Spacely had a server error (500)',
			description: expect.stringContaining('Forced status 500 for testing'),
		});
		expect(output?.[2].json.error).toBe('Image URL "not a url" is not a public http(s) link [item 2]');
		expect(output?.[3].json.error).toBe('Spacely rejected the request: Forced status 400 for testing');
		// Item 2 failed validation and was never sent.
		expect(posts()).toHaveLength(4);
	});

	test('without it, one at a time, the node stops at the first failed item with its message', async () => {
		const { output, error } = await run(mixed, { options: { maxConcurrency: 1 } });

		expect(output).toBeUndefined();
		expect(error?.message).toBe('Spacely had a server error (500)');
		expect(posts()).toHaveLength(2);
	});

	test('without it, concurrently, the node fails with the earliest failed item even when a later one fails first', async () => {
		const items = [
			{ imageUrl: ROOM },
			{ imageUrl: `${ROOM}?fake-slow-300&fake-status-500` },
			{ imageUrl: `${ROOM}?fake-status-400` },
		];
		const { output, error } = await run(items, { options: { maxConcurrency: 3 } });

		expect(output).toBeUndefined();
		expect(error?.message).toBe('Spacely had a server error (500)');
		expect(posts()).toHaveLength(3);
	});

	test('with "Continue (using error output)", failed items go to the error output', async () => {
		const result = await runSpacelyWorkflow({
			items: mixed,
			parameters: { imageUrl: '={{ $json.imageUrl }}' },
			credentials: { apiKey: API_KEY, baseUrl: fake.url },
			errorOutput: true,
		});

		expect(result.output?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 4 }]);
		expect(result.errorOutput?.map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 1 }, 'Spacely had a server error (500)'],
			[{ item: 2 }, 'Image URL "not a url" is not a public http(s) link [item 2]'],
			[{ item: 3 }, 'Spacely rejected the request: Forced status 400 for testing'],
		]);
	});

	test('without it, the error names the renders other items had already started', async () => {
		const items = [{ imageUrl: ROOM }, { imageUrl: `${ROOM}?fake-slow-200&fake-status-500` }, { imageUrl: `${ROOM}?two` }];
		const { error } = await run(items, { options: { maxConcurrency: 3 } });

		expect(error?.message).toBe('Spacely had a server error (500)');
		const started = [fake.refIdFor(ROOM), fake.refIdFor(`${ROOM}?two`)];
		expect((error as { description?: string }).description).toContain(
			`Other items had already started renders, which were paid for (ref ids: ${started.join(', ')})`,
		);
	});

	test('a wrong key with Continue On Fail keeps the key out of every error item', async () => {
		const result = await run(mixed.slice(0, 2), {}, { continueOnFail: true, apiKey: 'sk-WRONG-1' });

		expect(result.output?.map((o) => o.json.error)).toEqual([
			'The API key was rejected; check the Spacely API credential',
			'The API key was rejected; check the Spacely API credential',
		]);
		expect(visible(result)).not.toContain('sk-WRONG-1');
	});
});
