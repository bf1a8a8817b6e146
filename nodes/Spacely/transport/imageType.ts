/** What a downloaded file is, from what its host says and, where that says nothing, its first bytes. */

// Types that say nothing about the file: object stores send them for whatever they hold.
const GENERIC_TYPES = ['', 'application/octet-stream', 'binary/octet-stream'];

/** The formats a render comes in, by their first bytes. */
const SIGNATURES: Array<{ mimeType: string; matches: (bytes: Buffer) => boolean }> = [
	{ mimeType: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
	{ mimeType: 'image/jpeg', matches: (b) => b.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) },
	{ mimeType: 'image/gif', matches: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
	{
		mimeType: 'image/webp',
		matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
	},
];

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaTypeOf(header: string | string[] | undefined): string {
	return ((Array.isArray(header) ? header[0] : header) ?? '').split(';')[0].trim().toLowerCase();
}

export function isImageType(mediaType: string): boolean {
	return mediaType.startsWith('image/');
}

export function isGenericType(mediaType: string): boolean {
	return GENERIC_TYPES.includes(mediaType);
}

/** The image format these bytes start with, or undefined when they are no image this node knows. */
export function sniffImageType(bytes: Buffer): string | undefined {
	return SIGNATURES.find(({ matches }) => matches(bytes))?.mimeType;
}

/** A few words of a text body (an error page, a message), to show what came instead of an image. */
export function textExcerpt(bytes: Buffer, maxLength = 120): string {
	const text = bytes
		.toString('utf8')
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]*>?/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
