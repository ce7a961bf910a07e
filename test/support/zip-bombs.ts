import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { workbookXlsx } from './registry-files';

/** Deflates `prefix`, `size` bytes of one letter and `suffix` as one stream, never holding the middle in memory. */
async function deflatedWithGiantMiddle(
  prefix: Buffer,
  size: number,
  suffix: Buffer,
  random: boolean,
): Promise<{ data: Buffer; crc: number; length: number }> {
  const deflate = createDeflateRaw({ level: random ? 1 : 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const block = random
    ? Buffer.from(Array.from({ length: 1024 * 1024 }, () => 0x41 + Math.floor(Math.random() * 26)))
    : Buffer.alloc(1024 * 1024, 0x41);
  let crc = crc32(prefix);
  deflate.write(prefix);
  for (let left = size; left > 0; left -= block.length) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  crc = crc32(suffix, crc);
  deflate.end(suffix);
  await done;
  return { data: Buffer.concat(out), crc, length: prefix.length + size + suffix.length };
}

/**
 * A real registry workbook whose sheet holds one cell of `giantBytes` letters, while the zip's headers
 * (local and central) claim the sheet unpacks to `claimedBytes` (null: the truth): the file is small,
 * its sizes lie. Random letters pack poorly, so an honest file of them passes the ratio check.
 */
export async function lyingBomb(giantBytes: number, claimedBytes: number | null, random = false): Promise<Buffer> {
  const template = await workbookXlsx([
    {
      name: 'Реестр',
      rows: [
        ['Город', 'Улица', 'Дом', 'Номер помещения'],
        ['Тула', 'BOMB', '1', '5'],
      ],
    },
  ]);
  const zip = await JSZip.loadAsync(template);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entryName of Object.keys(zip.files).filter((n) => !zip.files[n].dir)) {
    const content = await zip.file(entryName)!.async('nodebuffer');
    let data: Buffer;
    let crc: number;
    let declared: number;
    if (entryName === 'xl/worksheets/sheet1.xml') {
      const [before, after] = content.toString('utf8').split('BOMB');
      const giant = await deflatedWithGiantMiddle(Buffer.from(before), giantBytes, Buffer.from(after), random);
      ({ data, crc } = giant);
      declared = claimedBytes ?? giant.length;
    } else {
      data = deflateRawSync(content);
      crc = crc32(content);
      declared = content.length;
    }
    const fileName = Buffer.from(entryName);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
