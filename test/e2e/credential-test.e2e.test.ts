/**
 * End to end: the credential's Test button in a real n8n server (`n8n start`), through the REST
 * endpoint the editor calls, against the fake Spacely server. Testing a key must never start a
 * render: the fake server sees nothing but polls.
 */
import { startFakeSpacely } from '../fake-spacely/server';
import {
	closedPortUrl,
	createE2eN8nHome,
	e2eApiKeys,
	e2eN8nDescription,
	startServer,
	testCredential,
	type N8nHome,
	type N8nServer,
	type StoredCredential,
} from './harness';

const keys = e2eApiKeys();

let fake: Awaited<ReturnType<typeof startFakeSpacely>>;
let n8n: N8nHome;
let server: N8nServer;
let credentials: Record<'good' | 'wrong' | 'unreachable', StoredCredential>;

beforeAll(async () => {
	fake = await startFakeSpacely({ apiKeys: [keys.good] });
	n8n = await createE2eN8nHome();
	const spacely = (id: string, apiKey: string, baseUrl: string): StoredCredential => ({
		id,
		name: id,
		type: 'spacelyApi',
		data: { apiKey, baseUrl },
	});
	credentials = {
		good: spacely('e2eTestGoodKey', keys.good, fake.url),
		wrong: spacely('e2eTestWrongKey', keys.wrong, fake.url),
		unreachable: spacely('e2eTestUnreachable', keys.good, await closedPortUrl()),
	};
	await n8n.importCredentials(Object.values(credentials));
	server = await startServer(n8n);
});

afterAll(async () => {
	await server?.stop();
	n8n?.cleanup();
	await fake?.close();
});

beforeEach(() => fake.reset());

const NO_SUCH_REF_ID = '00000000-0000-0000-0000-000000000000';

/**
 * What the fake server saw: polls for a ref id that cannot exist, each with `apiKey`, and nothing
 * else. n8n 2.41 sends a poll again after a 401 (it retries any 401 once, in case a credential
 * needs refreshing), so the count is not fixed.
 */
function expectOnlyPolls(apiKey: string) {
	expect(fake.requests.length).toBeGreaterThan(0);
	for (const request of fake.requests) {
		expect([request.method, request.path, request.query.refId, request.headers['x-api-key']]).toEqual([
			'GET',
			'/api/v1/generate/poll-result',
			NO_SUCH_REF_ID,
			apiKey,
		]);
	}
}

describe(`the credential test on ${e2eN8nDescription()}`, () => {
	test('a good key passes', async () => {
		expect(await testCredential(server, credentials.good)).toMatchObject({ status: 'OK' });
		expectOnlyPolls(keys.good);
	});

	test('a wrong key fails, saying the key was rejected', async () => {
		const result = await testCredential(server, credentials.wrong);

		expect(result.status).toBe('Error');
		expect(result.message).toContain('rejected');
		expect(result.message).not.toContain(keys.wrong);
		expectOnlyPolls(keys.wrong);
	});

	test('a base URL where nothing listens fails, naming the connection failure', async () => {
		const result = await testCredential(server, credentials.unreachable);

		expect(result.status).toBe('Error');
		// n8n 2.41 reports the error code, n8n 1.123 and 2.8 their own wording of it.
		expect(result.message).toMatch(/ECONNREFUSED|refused the connection/);
		expect(fake.requests).toEqual([]);
	});
});
