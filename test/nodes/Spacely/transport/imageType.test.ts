import { isGenericType, mediaTypeOf, sniffImageType, textExcerpt } from '../../../../nodes/Spacely/transport/imageType';
import { renderImage } from '../../../fake-spacely/render-image';

const bytes = (...parts: Array<string | number[]>) =>
	Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

test.each([
	['image/png', renderImage(1)],
	['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
	['image/gif', bytes('GIF89a', [1, 0, 1, 0])],
	['image/webp', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')],
])('%s is known by its first bytes', (mimeType, file) => {
	expect(sniffImageType(file)).toBe(mimeType);
});

test.each([
	['an HTML page', bytes('<!DOCTYPE html><html><body>Access denied</body></html>')],
	['JSON', bytes('{"error":"expired"}')],
	['a RIFF file that is no WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
	['nothing', bytes()],
])('%s is no image', (_, file) => {
	expect(sniffImageType(file)).toBeUndefined();
});

test('only types that say nothing about the file are generic', () => {
	expect(['', 'application/octet-stream', 'binary/octet-stream'].every(isGenericType)).toBe(true);
	expect(['text/html', 'image/png', 'application/json'].some(isGenericType)).toBe(false);
	expect(mediaTypeOf('Application/Octet-Stream; charset=binary')).toBe('application/octet-stream');
	expect(mediaTypeOf(undefined)).toBe('');
});

test('a page is shown by its words, not its markup, and cut short', () => {
	const page = `<html><head><style>h1 { color: red }</style><title>Sign in</title></head><body><h1>Sign in to see this file</h1>${'x'.repeat(300)}</body></html>`;

	expect(textExcerpt(Buffer.from(page))).toMatch(/^Sign in Sign in to see this file x+…$/);
	expect(textExcerpt(Buffer.from(page)).length).toBe(121);
});
