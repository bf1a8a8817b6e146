/**
 * What the fake Spacely's renders look like: a small drawn room (wall, floor, window, sofa, lamp),
 * 320x240 pixels, a few kB as PNG, in one of four colour schemes so that a render's four images
 * differ. Drawn in code so that the demo's binary preview shows a picture, not a 1x1 dot.
 */
const { randomBytes } = require('node:crypto');
const { deflateSync } = require('node:zlib');

const WIDTH = 320;
const HEIGHT = 240;
const FLOOR_Y = 160;

const SCHEMES = [
	{ wall: [233, 224, 210], floor: [160, 118, 80], sofa: [74, 98, 138], accent: [214, 162, 64] },
	{ wall: [214, 228, 222], floor: [190, 160, 120], sofa: [186, 96, 72], accent: [60, 120, 96] },
	{ wall: [236, 232, 240], floor: [120, 110, 104], sofa: [92, 132, 110], accent: [230, 196, 92] },
	{ wall: [220, 206, 196], floor: [96, 70, 52], sofa: [210, 200, 180], accent: [54, 86, 140] },
];

const inBox = (x, y, left, top, right, bottom) => x >= left && x < right && y >= top && y < bottom;

function pixel(x, y, { wall, floor, sofa, accent }) {
	if (inBox(x, y, 206, 34, 290, 116)) {
		const frame = x < 210 || x >= 286 || y < 38 || y >= 112 || (x >= 246 && x < 250);
		return frame ? [250, 250, 250] : [150 + y / 3, 196 + y / 6, 236];
	}
	if (inBox(x, y, 44, 112, 184, 168)) {
		const cushion = y < 132 && (x - 44) % 46 > 2;
		return cushion ? sofa.map((c) => c + 18) : sofa;
	}
	if (inBox(x, y, 52, 168, 60, 178) || inBox(x, y, 168, 168, 176, 178)) return [60, 50, 44];
	if (inBox(x, y, 196, 60, 204, 166)) return [64, 64, 64];
	if (inBox(x, y, 182, 44, 218, 62)) return accent;
	if (y >= FLOOR_Y) {
		const board = Math.floor((x + (Math.floor((y - FLOOR_Y) / 12) % 2) * 40) / 80) % 2;
		return floor.map((c) => c - board * 14 - (y - FLOOR_Y) / 8);
	}
	return wall.map((c) => c - (FLOOR_Y - y) / 16);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes) {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

/**
 * The PNG of render image `number` (1 to 4). With `minBytes`, random bytes in a private ancillary
 * chunk (which decoders skip) pad it to that size, as incompressible as a real photo's pixels.
 */
function renderImage(number, minBytes = 0) {
	const scheme = SCHEMES[(number - 1 + SCHEMES.length) % SCHEMES.length];
	const rows = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
	for (let y = 0; y < HEIGHT; y++) {
		const row = y * (WIDTH * 3 + 1);
		for (let x = 0; x < WIDTH; x++) {
			const rgb = pixel(x, y, scheme).map((c) => Math.max(0, Math.min(255, Math.round(c))));
			rows.set(rgb, row + 1 + x * 3);
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(WIDTH, 0);
	header.writeUInt32BE(HEIGHT, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, no interlace
	const png = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows)),
		chunk('IEND', Buffer.alloc(0)),
	]);
	if (minBytes <= png.length) return png;
	const fillerBytes = Math.max(0, minBytes - png.length - 12); // a chunk's length, type and CRC take 12
	return Buffer.concat([png.subarray(0, -12), chunk('fkPd', randomBytes(fillerBytes)), png.subarray(-12)]);
}

module.exports = { renderImage };
