/**
 * What the node logs through `this.logger` during the calling test file: n8n-core hands nodes the
 * Logger of its own dependency container, so that is where the capture goes.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fromN8nCore = (id: string) => require(require.resolve(id, { paths: [require.resolve('n8n-core')] }));

export function captureN8nLog(): string[] {
	const lines: string[] = [];
	beforeAll(() => {
		const { Container } = fromN8nCore('@n8n/di');
		const { Logger } = fromN8nCore('@n8n/backend-common');
		const capture = (message: string) => lines.push(message);
		const logger = { info: capture, warn: capture, error: capture, debug: capture, scoped: () => logger };
		Container.set(Logger, logger);
	});
	beforeEach(() => (lines.length = 0));
	return lines;
}
