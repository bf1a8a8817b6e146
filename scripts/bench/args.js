/**
 * The benchmark's flags. Without --renders: the POST-only benchmark (--items, --latency,
 * --concurrency, --cap). With --renders: --n, --t, --latency, --image-mb, --cap, --quick, --flows,
 * --concurrency (one value: the node's Max Concurrent Requests instead of its default).
 */
const DEFAULTS = {
	posts: { items: 200, latency: 100, concurrency: [1, 5, 10, 25, 50], cap: 50 },
	renders: { n: [100], t: [10, 30, 'mix'], latency: 100, 'image-mb': 1.5, cap: 50, quick: false, flows: ['files', 'links', 'loop'], concurrency: undefined },
};
const QUICK = { n: [20], t: [3], 'image-mb': 0.2 };
const LISTS = ['concurrency', 'n', 't', 'flows'];
const FLOWS = ['files', 'links', 'loop'];

function parseArgs(argv) {
	const renders = argv.includes('--renders');
	const args = { ...DEFAULTS[renders ? 'renders' : 'posts'] };
	if (renders && argv.includes('--quick')) Object.assign(args, QUICK, { quick: true });
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i].replace(/^--/, '');
		if (flag === 'renders' || flag === 'quick') continue;
		const value = argv[++i];
		if (!(flag in args) || value === undefined) throw new Error(`unknown flag or missing value: ${argv[i - 1]}`);
		if (flag === 'flows') {
			const flows = value.split(',');
			if (flows.some((f) => !FLOWS.includes(f))) throw new Error(`--flows takes some of ${FLOWS.join(',')}, got "${value}"`);
			args.flows = flows;
			continue;
		}
		const values = value.split(',').map((v) => (flag === 't' && v === 'mix' ? v : Number(v)));
		const bad = values.find((v) => v !== 'mix' && !(Number.isFinite(v) && v >= (flag === 'latency' ? 0 : 0.001)));
		if (bad !== undefined) throw new Error(`--${flag} needs positive numbers${flag === 't' ? ' or "mix"' : ''}, got "${value}"`);
		args[flag] = LISTS.includes(flag) && !(renders && flag === 'concurrency') ? values : values[0];
	}
	return { renders, args: { ...args, imageMb: args['image-mb'] } };
}

module.exports = { parseArgs };
