/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The real-n8n suite has its own config: jest.e2e.config.js.
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	// n8n-core leaves timers of its own running after a workflow finishes; they hold no test state.
	forceExit: true,
	// Some tests send 100+ requests through the rate cap, which takes seconds by design; on a busy
	// 2-core machine jest's 5-second default fails them for being slow, which is not what they test.
	testTimeout: 60_000,
	setupFiles: ['<rootDir>/test/helpers/quiet-n8n-log.js'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
};
