import { startFakeSpacely } from '../fake-spacely/server';
import { createE2eN8nHome, e2eApiKeys, importWorkflows, type N8nHome, type StoredCredential, type Workflow } from './harness';

type FakeSpacely = Awaited<ReturnType<typeof startFakeSpacely>>;
type Keys = ReturnType<typeof e2eApiKeys>;

interface E2eSetup {
	/** workflow files (harness.workflowFile, exampleFile) or parsed workflows, imported in one CLI run */
	workflows: Array<string | Workflow>;
	/** the fake server's options beside its key (default: renders done at the first poll) */
	fakeOptions?: Omit<NonNullable<Parameters<typeof startFakeSpacely>[0]>, 'apiKeys'>;
	/** credentials beside e2eGoodKey (keys.good at the fake server), for the workflows that name them */
	moreCredentials?: (baseUrl: string, keys: Keys) => StoredCredential[];
}

/**
 * For the calling e2e file: the fake Spacely server and a throwaway n8n home with this package, the
 * credential `e2eGoodKey` that the workflow files name, and the workflows; made before its first
 * test, removed after its last. The objects returned are filled in once made, so use them inside
 * tests and hooks only.
 */
export function useE2eN8n({ workflows, fakeOptions = { pollsUntilDone: 0 }, moreCredentials }: E2eSetup) {
	const keys = e2eApiKeys();
	const fake = {} as FakeSpacely;
	const n8n = {} as N8nHome;
	beforeAll(async () => {
		Object.assign(fake, await startFakeSpacely({ apiKeys: [keys.good], ...fakeOptions }));
		Object.assign(n8n, await createE2eN8nHome());
		await n8n.importCredentials([
			{ id: 'e2eGoodKey', name: 'e2eGoodKey', type: 'spacelyApi', data: { apiKey: keys.good, baseUrl: fake.url } },
			...(moreCredentials?.(fake.url, keys) ?? []),
		]);
		await importWorkflows(n8n, workflows);
	});
	// If either never started, this must not hide why.
	afterAll(async () => {
		n8n.cleanup?.();
		await fake.close?.();
	});
	return { keys, fake, n8n };
}
