import { startFakeSpacely } from '../fake-spacely/server';

export type FakeSpacely = Awaited<ReturnType<typeof startFakeSpacely>>;

/**
 * One fake Spacely server for the calling test file: started before its first test, its log
 * cleared before each test, stopped after the last. The object returned is filled in once the
 * server has started, so use it inside tests and hooks only.
 */
export function useFakeSpacely(options: Parameters<typeof startFakeSpacely>[0]): FakeSpacely {
	const fake = {} as FakeSpacely;
	beforeAll(async () => {
		Object.assign(fake, await startFakeSpacely(options));
	});
	// If the server never started, this must not hide why.
	afterAll(async () => await fake.close?.());
	beforeEach(() => fake.reset());
	return fake;
}
