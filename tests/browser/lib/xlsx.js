'use strict';
// A tiny XLSX cell reader: the zip's central directory, inflate (node's zlib), the worksheet's
// <c r="E12"> and the shared strings. Enough to read exactly what a cell holds — `trustsheet
// import` normalizes text (NFKC), so it cannot tell （ from ( — and nothing more.
const fs = require('node:fs');
const zlib = require('node:zlib');

function unzip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i -= 1) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip archive`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n += 1) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.set(name, { method, csize, local });
    p += 46 + nameLen + extraLen + commentLen;
  }
  const read = (name) => {
    const e = entries.get(name);
    if (!e) return null;
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    const data = buf.subarray(start, start + e.csize);
    if (e.method === 0) return data.toString('utf8');
    if (e.method === 8) return zlib.inflateRawSync(data).toString('utf8');
    throw new Error(`${file}: ${name}: compression method ${e.method}`);
  };
  return { names: [...entries.keys()], read };
}

const unxml = (s) => s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (m, e) => {
  if (e === 'lt') return '<';
  if (e === 'gt') return '>';
  if (e === 'quot') return '"';
  if (e === 'apos') return "'";
  if (e === 'amp') return '&';
  return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
});

// The text of an <si> or <is>: its <t> elements, phonetic guides (<rPh>) left out.
function richText(xml) {
  return unxml(xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').replace(/<t\b[^>]*\/>/g, '')
    .match(/<t\b[^>]*>[\s\S]*?<\/t>/g)?.map((t) => t.replace(/^<t\b[^>]*>|<\/t>$/g, '')).join('') || '');
}

// Opens a workbook; cell(part, 'E12') is the cell's text as stored ('' when empty or absent).
function openWorkbook(file) {
  const z = unzip(file);
  const sst = z.read('xl/sharedStrings.xml');
  const shared = sst ? (sst.match(/<si\b[\s\S]*?<\/si>|<si\b[^>]*\/>/g) || []).map(richText) : [];
  const sheets = new Map();
  const cell = (part, ref) => {
    if (!sheets.has(part)) {
      const xml = z.read(part);
      if (xml === null) throw new Error(`${file}: no ${part}`);
      const cells = new Map();
      for (const m of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = m[1];
        const r = /\br="([A-Z]+\d+)"/.exec(attrs);
        if (!r) continue;
        const type = (/\bt="(\w+)"/.exec(attrs) || [])[1] || 'n';
        const body = m[2] || '';
        let text = '';
        if (type === 'inlineStr') text = richText(body);
        else {
          const v = /<v>([\s\S]*?)<\/v>/.exec(body);
          if (v) text = type === 's' ? shared[Number(v[1])] ?? '' : unxml(v[1]);
        }
        cells.set(r[1], text);
      }
      sheets.set(part, cells);
    }
    return sheets.get(part).get(ref) ?? '';
  };
  return { cell, names: z.names };
}

module.exports = { unzip, openWorkbook };
