// The resource bundle of Flight of the Amazon Queen's rebuilt CD version (queen.1c), as Debian ships it:
//   "QTBL", 6-byte version string ("CEM10" + NUL), 2 bytes, 1 byte compression (1 = speech is MP3),
//   u16 BE entry count, then per entry: 12-byte NUL-padded name, u8 bundle, u32 BE offset, u32 BE size.
// Offsets count from the start of the file. Names are upper case ("BOB1.DOG", "060024P1.SB").
using System.Buffers.Binary;
using System.Text;

namespace DgTools.RealSpeech.Queen;

public sealed record QueenEntry(string Name, int Bundle, long Offset, int Size);

public sealed class QueenResourceFile
{
    private readonly string _path;
    private readonly Dictionary<string, QueenEntry> _entries;

    public QueenResourceFile(string path) : this(path, File.ReadAllBytes(path)) { }

    public QueenResourceFile(string path, byte[] bytes)
    {
        _path = path;
        Bytes = bytes;
        if (bytes.Length < 15 || Encoding.ASCII.GetString(bytes, 0, 4) != "QTBL")
            throw new DgToolsException("not a rebuilt FOTAQ resource file (no QTBL signature)", path);
        Version = Encoding.ASCII.GetString(bytes, 4, 6).TrimEnd('\0');
        Compression = bytes[12];
        int count = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(13));
        const int entrySize = 21;
        if (15 + count * entrySize > bytes.Length) throw new DgToolsException($"resource table of {count} entries runs past the end", path);
        _entries = new Dictionary<string, QueenEntry>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var e = bytes.AsSpan(15 + i * entrySize, entrySize);
            var name = Encoding.ASCII.GetString(e[..12]).TrimEnd('\0');
            var entry = new QueenEntry(name, e[12], BinaryPrimitives.ReadUInt32BigEndian(e[13..]), (int)BinaryPrimitives.ReadUInt32BigEndian(e[17..]));
            if (entry.Offset + entry.Size > bytes.Length) throw new DgToolsException($"entry {name} runs past the end of the file", path);
            _entries[name] = entry;
        }
    }

    public byte[] Bytes { get; }

    public string Version { get; }

    public int Compression { get; }

    public IEnumerable<QueenEntry> Entries => _entries.Values;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public byte[] Read(string name) =>
        _entries.TryGetValue(name, out var e)
            ? Bytes.AsSpan((int)e.Offset, e.Size).ToArray()
            : throw new DgToolsException($"no resource named {name}", _path);
}
