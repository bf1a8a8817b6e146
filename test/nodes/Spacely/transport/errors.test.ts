import { useFakeSpacely } from '../../../helpers/use-fake-spacely';
import { API_KEY, ROOM, errorOf, runV2 } from '../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });

const advance = (requestSettings = {}) => ({
	resource: 'render',
	operation: 'generateAdvance',
	imageUrl: '={{ $json.photo }}',
	output: 'refId',
	requestSettings,
});
const posts = () => fake.requests.filter((r) => r.method === 'POST');

describe('a connection that breaks after the request went out: the render may have started', () => {
	test.each([
		['reset (TCP RST)', 'fake-reset'],
		['closed without an answer', 'fake-drop'],
	])('%s: said so, not "could not reach"; sent once', async (_case, marker) => {
		const result = await runV2(fake, advance(), [{ photo: `${ROOM}?${marker}` }]);

		expect(errorOf(result)).toMatch(
			/^The connection to Spacely broke before it answered \| The connection to http:\/\/127\.0\.0\.1:\d+ was closed \((ECONNRESET|socket hang up)\) after the request went out, so Spacely may have read it\. The request was not sent again, because the render may have started/,
		);
		expect(posts()).toHaveLength(1);
	});

	test('with Resend After Server Error on, after the last attempt too', async () => {
		const result = await runV2(fake, advance({ retryServerErrors: true }), [{ photo: `${ROOM}?fake-reset` }]);

		expect(errorOf(result)).toMatch(
			/^The connection to Spacely broke before it answered \| .* The render may have started: check your Spacely account\. The request was sent 4 times\.$/,
		);
		expect(posts()).toHaveLength(4);
	});
});
