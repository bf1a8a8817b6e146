/**
 * End-to-end suite: a real n8n (installed once into a cache, see scripts/n8n-runtime.js) runs the
 * workflows in test/e2e/workflows. The first run installs n8n, hence the long timeout.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.config'),
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	testTimeout: 20 * 60 * 1000,
};
