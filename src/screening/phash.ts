/**
 * A 64-bit difference hash (dHash) of an image: shrink to 9×8 grey, compare neighbours.
 * Re-encoding, resizing and mild recompression barely change it, so the same photo sent
 * twice, even edited, is found. Returns 16 hex digits, or null for what is not an image.
 */
export async function perceptualHash(bytes: Buffer): Promise<string | null> {
  try {
    // sharp (libvips) is loaded with the first image, not at start: about 25 MB of RSS that a
    // server answering no upload never needs.
    const { default: sharp } = await import('sharp');
    const pixels = await sharp(bytes).grayscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
    let hash = 0n;
    for (let row = 0; row < 8; row++) {
      for (let col = 0; col < 8; col++) {
        const left = pixels[row * 9 + col] as number;
        const right = pixels[row * 9 + col + 1] as number;
        hash = (hash << 1n) | (left > right ? 1n : 0n);
      }
    }
    return hash.toString(16).padStart(16, '0');
  } catch {
    return null;
  }
}

export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (x) {
    count += Number(x & 1n);
    x >>= 1n;
  }
  return count;
}

/** The four 16-bit chunks an index looks up; hashes within distance 3 share one. */
export const phashChunks = (hex: string): number[] =>
  [0, 1, 2, 3].map((i) => Number.parseInt(hex.slice(i * 4, i * 4 + 4), 16));

export const SAME_PHOTO_MAX_DISTANCE = 6;
