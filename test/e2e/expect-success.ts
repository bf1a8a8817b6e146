import type { ExecutionRun } from './harness';

/**
 * A run that should succeed. On failure the message shows n8n's output too: `n8n execute` can exit
 * non-zero with run data that reports no error, and then only its output says why.
 */
export function expectSuccess({ ok, run, output }: { ok: boolean; run?: ExecutionRun; output: string }) {
	expect({ ok, error: run?.data.resultData.error, output: ok ? '' : output }).toEqual({
		ok: true,
		error: undefined,
		output: '',
	});
}
