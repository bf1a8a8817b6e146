/**
 * jest setup: n8n's logger prints nothing during unit tests. The node logs a line per render
 * accepted, and jest's console capture (a stack trace per line) slows the tests that send hundreds
 * of renders, some of which count polls on a real clock. Tests that check log lines capture them
 * (test/helpers/n8n-log.ts); N8N_LOG_LEVEL set outside still wins.
 */
process.env.N8N_LOG_LEVEL ??= 'silent';
