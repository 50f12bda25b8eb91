// Beneath a Steel Sky's data disk: sky.dnr is the file table, sky.dsk the data.
// sky.dnr: u32 LE entry count, then 8-byte entries: u16 file number, u24 offset, u24 flags (all little-endian).
// Offset bit 23 set: the offset counts 16-byte units (CD version 0.0372). Flags: bits 0-21 size in sky.dsk, bit 22 the
// 22-byte data-file header is not part of the unpacked file, bit 23 the file is stored as is. A stored-packed file
// starts with the header; its u16 flag word's bit 7 says RNC data follows the header, and the unpacked size is
// ((flag & 0xFF00) << 8) | total size (header word 6).
using System.Buffers.Binary;

namespace DgTools.RealSpeech.Sky;

public sealed record SkyFileEntry(int Number, long Offset, int Size, bool HeaderExcluded, bool Stored);

public sealed class SkyDisk
{
    public const int DataHeaderSize = 22;
    private readonly byte[] _disk;
    private readonly Dictionary<int, SkyFileEntry> _entries = [];

    public SkyDisk(byte[] table, byte[] disk, string path = "sky.dnr")
    {
        _disk = disk;
        if (table.Length < 4) throw new DgToolsException("file table shorter than its count", path);
        long count = BinaryPrimitives.ReadUInt32LittleEndian(table);
        if (4 + count * 8 > table.Length) throw new DgToolsException($"file table of {count} entries runs past its end", path);
        for (int i = 0; i < count; i++)
        {
            var e = table.AsSpan(4 + i * 8, 8);
            int number = BinaryPrimitives.ReadUInt16LittleEndian(e);
            int offset = e[2] | e[3] << 8 | e[4] << 16;
            int flags = e[5] | e[6] << 8 | e[7] << 16;
            long start = (offset & 0x800000) != 0 ? (long)(offset & 0x7FFFFF) << 4 : offset & 0x7FFFFF;
            var entry = new SkyFileEntry(number, start, flags & 0x3FFFFF, (flags & 0x400000) != 0, (flags & 0x800000) != 0);
            if (entry.Offset + entry.Size > disk.Length) throw new DgToolsException($"file {number} runs past the end of the data disk", path);
            _entries[number] = entry;
        }
    }

    public static SkyDisk Open(string directory) =>
        new(File.ReadAllBytes(Path.Combine(directory, "sky.dnr")), File.ReadAllBytes(Path.Combine(directory, "sky.dsk")),
            Path.Combine(directory, "sky.dnr"));

    public IEnumerable<SkyFileEntry> Entries => _entries.Values;

    public bool Contains(int number) => _entries.ContainsKey(number);

    /// <summary>A file as the game loads it: unpacked, with its data-file header unless the table excludes it.</summary>
    public byte[] Load(int number)
    {
        if (!_entries.TryGetValue(number, out var entry)) throw new KeyNotFoundException($"no file {number} on the data disk");
        var raw = _disk.AsSpan((int)entry.Offset, entry.Size);
        if (entry.Stored || raw.Length < DataHeaderSize || (BinaryPrimitives.ReadUInt16LittleEndian(raw) & 0x80) == 0)
            return raw.ToArray();
        var unpacked = RncDecoder.Unpack(raw[DataHeaderSize..]);
        return entry.HeaderExcluded ? unpacked : [.. raw[..DataHeaderSize], .. unpacked];
    }

    /// <summary>The unpacked size the data-file header announces (checked against what RNC produced).</summary>
    public static int AnnouncedSize(ReadOnlySpan<byte> header) =>
        (BinaryPrimitives.ReadUInt16LittleEndian(header) & 0xFF00) << 8 | BinaryPrimitives.ReadUInt16LittleEndian(header[12..]);
}
