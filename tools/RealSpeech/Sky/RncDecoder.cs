// Rob Northen Computing ProPack, method 1 (LZ77 + Huffman), as Beneath a Steel Sky's data files use it.
// Header (18 bytes, big-endian): "RNC" 0x01, u32 unpacked size, u32 packed size, u16 CRC of the unpacked data,
// u16 CRC of the packed data, u8 leeway, u8 chunk count. The packed data is a bit stream read least significant bit
// first from little-endian 16-bit words, with literal bytes stored between the words: a word is fetched only when
// its bits are needed, and literal runs are read from the byte position after the last fetched word.
// After 2 flag bits, each chunk has three Huffman tables (literal-run lengths, match distances, match lengths: 5 bits
// count, then a 4-bit code length per symbol; canonical codes by length, then symbol) and a 16-bit count of
// sub-chunks; a sub-chunk is a literal run followed, except in a chunk's last sub-chunk, by a match.
// A Huffman symbol s >= 2 stands for the value (1 << (s-1)) + (s-1 further bits); 0 and 1 stand for themselves.
using System.Buffers.Binary;

namespace DgTools.RealSpeech.Sky;

public static class RncDecoder
{
    public const int HeaderSize = 18;
    public static ReadOnlySpan<byte> Signature => "RNC\u0001"u8;

    public static bool IsPacked(ReadOnlySpan<byte> data) => data.Length >= HeaderSize && data[..4].SequenceEqual(Signature);

    public static byte[] Unpack(ReadOnlySpan<byte> data)
    {
        if (!IsPacked(data)) throw new InvalidDataException("not RNC method 1 data (no 'RNC\\x01' signature)");
        int unpackedSize = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
        int packedSize = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[8..]));
        ushort unpackedCrc = BinaryPrimitives.ReadUInt16BigEndian(data[12..]);
        ushort packedCrc = BinaryPrimitives.ReadUInt16BigEndian(data[14..]);
        int chunks = data[17];
        if (HeaderSize + packedSize > data.Length) throw new InvalidDataException($"packed size {packedSize} runs past the end of the data");
        var packed = data.Slice(HeaderSize, packedSize);
        if (Crc16(packed) != packedCrc) throw new InvalidDataException("packed data CRC mismatch");

        var output = new byte[unpackedSize];
        int written = 0;
        var bits = new BitReader(packed);
        bits.Read(2);
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            var literals = HuffmanTable.Read(ref bits);
            var distances = HuffmanTable.Read(ref bits);
            var lengths = HuffmanTable.Read(ref bits);
            int subchunks = bits.Read(16);
            for (int sub = 0; sub < subchunks; sub++)
            {
                int run = literals.ReadValue(ref bits);
                if (run > 0)
                {
                    if (written + run > output.Length) throw new InvalidDataException("literal run past the unpacked size");
                    bits.ReadBytes(output.AsSpan(written, run));
                    written += run;
                }
                if (sub == subchunks - 1) break;
                int distance = distances.ReadValue(ref bits) + 1;
                int length = lengths.ReadValue(ref bits) + 2;
                if (distance > written || written + length > output.Length) throw new InvalidDataException("match outside the unpacked data");
                for (int i = 0; i < length; i++, written++) output[written] = output[written - distance];
            }
        }
        if (written != unpackedSize) throw new InvalidDataException($"unpacked {written} bytes, header says {unpackedSize}");
        if (Crc16(output) != unpackedCrc) throw new InvalidDataException("unpacked data CRC mismatch");
        return output;
    }

    /// <summary>CRC-16 (reflected polynomial 0xA001, initial value 0), the checksum in the RNC header.</summary>
    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (ushort)((crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1);
        }
        return crc;
    }

    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;
        private uint _buffer;
        private int _count;

        public int Read(int n)
        {
            if (n == 0) return 0;
            if (_count < n)
            {
                _buffer |= (uint)Word() << _count;
                _count += 16;
            }
            int value = (int)(_buffer & ((1u << n) - 1));
            _buffer >>= n;
            _count -= n;
            return value;
        }

        public void ReadBytes(Span<byte> destination)
        {
            if (_position + destination.Length > _data.Length) throw new InvalidDataException("literal run past the packed data");
            _data.Slice(_position, destination.Length).CopyTo(destination);
            _position += destination.Length;
        }

        // Past the end reads as zero: a stream's last word may be fetched for bits that are padding.
        private ushort Word()
        {
            int lo = _position < _data.Length ? _data[_position] : 0;
            int hi = _position + 1 < _data.Length ? _data[_position + 1] : 0;
            _position += 2;
            return (ushort)(lo | hi << 8);
        }
    }

    private sealed class HuffmanTable
    {
        private readonly Dictionary<(int Length, int Code), int> _symbols = [];

        public static HuffmanTable Read(ref BitReader bits)
        {
            var table = new HuffmanTable();
            int count = bits.Read(5);
            var lengths = new int[count];
            for (int i = 0; i < count; i++) lengths[i] = bits.Read(4);
            int code = 0;
            for (int length = 1; length <= 16; length++)
            {
                for (int symbol = 0; symbol < count; symbol++)
                    if (lengths[symbol] == length) table._symbols[(length, code++)] = symbol;
                code <<= 1;
            }
            return table;
        }

        public int ReadValue(ref BitReader bits)
        {
            int code = 0;
            for (int length = 1; length <= 16; length++)
            {
                code = code << 1 | bits.Read(1);
                if (_symbols.TryGetValue((length, code), out int symbol))
                    return symbol < 2 ? symbol : (1 << (symbol - 1)) | bits.Read(symbol - 1);
            }
            throw new InvalidDataException("invalid Huffman code in RNC data");
        }
    }
}
