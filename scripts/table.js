/**
 * Lines of a plain-text table: a header, a rule and the rows, columns two spaces apart. The first
 * `leftColumns` columns are left-aligned (text); the rest right-aligned (numbers and verdicts).
 */
function formatTable(header, rows, leftColumns = header.length) {
	const table = [header, ...rows].map((row) => row.map(String));
	const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
	const line = (row) =>
		row
			.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
			.join('  ')
			.trimEnd();
	return [line(table[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)];
}

module.exports = { formatTable };
