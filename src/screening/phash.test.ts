import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance, perceptualHash, phashChunks } from './phash.ts';

/** A 64×64 test picture with a gradient and a dark square, deterministic. */
async function picture(variant: 'a' | 'b'): Promise<Buffer> {
  const size = 64;
  const data = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inSquare =
        variant === 'a' ? x > 10 && x < 30 && y > 20 && y < 50 : x > 35 && x < 60 && y > 5 && y < 25;
      const value = inSquare ? 20 : Math.round((x / size) * 200 + (y / size) * 55);
      data.fill(value, (y * size + x) * 3, (y * size + x) * 3 + 3);
    }
  }
  return sharp(data, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}

describe('perceptualHash', () => {
  it('finds the same photo re-encoded as JPEG and resized', async () => {
    const original = await picture('a');
    const copy = await sharp(original).resize(200, 200).jpeg({ quality: 60 }).toBuffer();
    const [h1, h2] = [await perceptualHash(original), await perceptualHash(copy)];
    expect(h1).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(h1 as string, h2 as string)).toBeLessThanOrEqual(6);
  });

  it('tells different photos apart', async () => {
    const [h1, h2] = [await perceptualHash(await picture('a')), await perceptualHash(await picture('b'))];
    expect(hammingDistance(h1 as string, h2 as string)).toBeGreaterThan(10);
  });

  it('answers null for a PDF', async () => {
    expect(await perceptualHash(Buffer.from('%PDF-1.4\n%âãÏÓ\n'))).toBeNull();
  });

  it('splits into four 16-bit chunks', () => {
    expect(phashChunks('0001000200030004')).toEqual([1, 2, 3, 4]);
  });
});
