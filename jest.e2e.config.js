/**
 * End-to-end suite: a real n8n (installed once into a cache, see scripts/n8n-runtime.js) runs the
 * workflows in test/e2e/workflows and tests the credential through its server. It runs on the n8n
 * that SPACELY_N8N_LINE names ('newest', the default, or 'oldest'); `npm run test:e2e`
 * (scripts/test-e2e.js) runs it on both. Run alone, jest may install n8n first, hence the long timeout.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.config'),
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	testTimeout: 20 * 60 * 1000,
	// n8n's log stays at its default here: the n8n these tests start prints its run data through it.
	setupFiles: [],
	// Each test's name says which n8n it ran on.
	verbose: true,
};
