using System.Buffers.Binary;
using DgTools.RealSpeech.Sky;
using Xunit;

namespace DgTools.Tests.RealSpeech;

/// <summary>RNC ProPack method 1 and Beneath a Steel Sky's file table, on data packed here by a small encoder that
/// writes the format as the decoder's header comment describes it (never game data).</summary>
public class SkyDataTests
{
    /// <summary>A sub-chunk: a literal run, then (except in a chunk's last sub-chunk) a match.</summary>
    private sealed record Token(byte[] Literals, int Distance = 0, int Length = 0);

    [Fact]
    public void Unpacks_literal_runs_and_overlapping_matches()
    {
        var expected = "abcabcabcabcXYZXYZXYZXYZXYZ-the end"u8.ToArray();
        var packed = Pack([
            [new Token("abc"u8.ToArray(), Distance: 3, Length: 9), new Token("XYZ"u8.ToArray(), Distance: 3, Length: 12),
             new Token("-the end"u8.ToArray())],
        ], expected);

        Assert.Equal(expected, RncDecoder.Unpack(packed));
    }

    [Fact]
    public void Unpacks_several_chunks_and_empty_literal_runs()
    {
        var expected = "hello hello hello !!!!!!!!!"u8.ToArray();
        var packed = Pack([
            [new Token("hello "u8.ToArray(), Distance: 6, Length: 12), new Token([])],
            [new Token("!"u8.ToArray(), Distance: 1, Length: 6), new Token([], Distance: 1, Length: 2), new Token([])],
        ], expected);

        Assert.Equal(expected, RncDecoder.Unpack(packed));
    }

    [Fact]
    public void Rejects_damaged_data_by_its_checksums()
    {
        var expected = "abcabcabc"u8.ToArray();
        var packed = Pack([[new Token("abc"u8.ToArray(), 3, 6), new Token([])]], expected);

        var badPacked = (byte[])packed.Clone();
        badPacked[RncDecoder.HeaderSize + 3] ^= 0x40;
        Assert.Throws<InvalidDataException>(() => RncDecoder.Unpack(badPacked));

        var badSum = (byte[])packed.Clone();
        badSum[12] ^= 1; // the unpacked data's CRC
        Assert.Throws<InvalidDataException>(() => RncDecoder.Unpack(badSum));
        Assert.Throws<InvalidDataException>(() => RncDecoder.Unpack("RNX\u0001 not packed at all"u8));
    }

    [Fact]
    public void Crc16_matches_the_reference_check_value() =>
        // CRC-16/ARC (reflected 0x8005 = 0xA001, init 0): the catalogued check value of "123456789".
        Assert.Equal(0xBB3D, RncDecoder.Crc16("123456789"u8));

    [Fact]
    public void Disk_table_locates_stored_and_packed_files()
    {
        var speech = Enumerable.Range(0, 40).Select(i => (byte)(128 + 40 * Math.Sin(i))).ToArray();
        var header = new byte[SkyDisk.DataHeaderSize];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0080); // bit 7: RNC data follows
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), (ushort)speech.Length);
        var packedSpeech = Pack([[new Token(speech)]], speech);
        var stored = "stored text file"u8.ToArray();

        var disk = new byte[64 + header.Length + packedSpeech.Length];
        stored.CopyTo(disk, 3);
        header.CopyTo(disk, 64);
        packedSpeech.CopyTo(disk, 64 + header.Length);
        var table = new byte[4 + 2 * 8];
        BinaryPrimitives.WriteUInt32LittleEndian(table, 2);
        Entry(table.AsSpan(4), 60600, offset: 3, flags: 0x800000 | stored.Length);               // stored as is
        Entry(table.AsSpan(12), 50007, offset: 0x800000 | (64 >> 4), flags: header.Length + packedSpeech.Length); // 16-byte units

        var sky = new SkyDisk(table, disk);

        Assert.Equal(stored, sky.Load(60600));
        var loaded = sky.Load(50007);
        Assert.Equal(header, loaded[..SkyDisk.DataHeaderSize]);
        Assert.Equal(speech, loaded[SkyDisk.DataHeaderSize..]);
        Assert.Equal(speech.Length, SkyDisk.AnnouncedSize(loaded));
        Assert.False(sky.Contains(1));
    }

    private static void Entry(Span<byte> e, int number, int offset, int flags)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)number);
        e[2] = (byte)offset; e[3] = (byte)(offset >> 8); e[4] = (byte)(offset >> 16);
        e[5] = (byte)flags; e[6] = (byte)(flags >> 8); e[7] = (byte)(flags >> 16);
    }

    /// <summary>Encodes chunks of tokens with three tables that give all 16 symbols 4-bit codes.</summary>
    private static byte[] Pack(Token[][] chunks, byte[] unpacked)
    {
        var w = new BitWriter();
        w.Bits(0, 2);
        foreach (var tokens in chunks)
        {
            for (int table = 0; table < 3; table++)
            {
                w.Bits(16, 5);
                for (int symbol = 0; symbol < 16; symbol++) w.Bits(4, 4);
            }
            w.Bits(tokens.Length, 16);
            for (int i = 0; i < tokens.Length; i++)
            {
                w.Value(tokens[i].Literals.Length);
                w.Bytes(tokens[i].Literals);
                if (i == tokens.Length - 1) break;
                w.Value(tokens[i].Distance - 1);
                w.Value(tokens[i].Length - 2);
            }
        }
        var packed = w.ToArray();
        var header = new byte[RncDecoder.HeaderSize];
        RncDecoder.Signature.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)unpacked.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)packed.Length);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), RncDecoder.Crc16(unpacked));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), RncDecoder.Crc16(packed));
        header[17] = (byte)chunks.Length;
        return [.. header, .. packed];
    }

    /// <summary>Bits go least significant first into 16-bit little-endian words, a word reserved when its first bit is
    /// written; literal bytes go after the last reserved word.</summary>
    private sealed class BitWriter
    {
        private readonly List<byte> _out = [];
        private int _word = -1;
        private int _used = 16;

        public void Bit(int bit)
        {
            if (_used == 16) { _word = _out.Count; _out.Add(0); _out.Add(0); _used = 0; }
            if (bit != 0) _out[_word + _used / 8] |= (byte)(1 << (_used % 8));
            _used++;
        }

        public void Bits(int value, int count) { for (int i = 0; i < count; i++) Bit(value >> i & 1); }

        /// <summary>A value through the 4-bit canonical code (symbol s = its code, most significant bit first).</summary>
        public void Value(int value)
        {
            int symbol = value < 2 ? value : 32 - int.LeadingZeroCount(value);
            for (int i = 3; i >= 0; i--) Bit(symbol >> i & 1);
            if (symbol >= 2) Bits(value - (1 << (symbol - 1)), symbol - 1);
        }

        public void Bytes(byte[] bytes) => _out.AddRange(bytes);

        public byte[] ToArray() => [.. _out];
    }
}
