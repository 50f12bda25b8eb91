// A Beneath a Steel Sky text section (data files 60600 + 8 x language + section, stored uncompressed):
//   u16 LE offset of the length table, u16 LE offset of the coded text, then one u16 LE per block of 32 lines: the
//   block's length; the length table has one byte per line (bit 7 set: (b & 0x7F) x 8). Lengths count 2-bit units.
// Line k starts at the sum of the lengths before it (whole blocks, then the lines of its own block); its bits are read
// most significant first from the coded text's byte (start / 4), bit 7 - 2 x (start % 4), one Huffman character
// at a time until the character 0.
using System.Buffers.Binary;
using System.Text;

namespace DgTools.RealSpeech.Sky;

/// <param name="Text">The decoded line; null when decoding ran past the section.</param>
/// <param name="FitsItsLength">The line's code ended inside the last 16 bits of the length the table gives it: true for
/// every line under the right tree, rarely under another version's tree.</param>
/// <param name="Units">The line's length in the table (2-bit units); 0 for the unused entries of a last block.</param>
public sealed record SkyTextLine(string? Text, bool FitsItsLength, int Units);

public static class SkyText
{
    public const int LinesPerBlock = 32;
    private const int MaxLineLength = 1000;

    /// <summary>Every line the section's length table describes, by line number.</summary>
    public static IReadOnlyList<SkyTextLine> ReadSection(byte[] data, SkyHuffmanTree tree)
    {
        if (data.Length < 4) throw new InvalidDataException("text section shorter than its header");
        int lengthTable = BinaryPrimitives.ReadUInt16LittleEndian(data);
        int codedText = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(2));
        if (lengthTable < 4 || lengthTable > codedText || codedText > data.Length)
            throw new InvalidDataException("text section header points outside the section");
        int blocks = (lengthTable - 4) / 2;
        var lines = new List<SkyTextLine>(blocks * LinesPerBlock);
        long blockStart = 0;
        for (int block = 0; block < blocks; block++)
        {
            long start = blockStart;
            for (int k = 0; k < LinesPerBlock; k++)
            {
                int at = lengthTable + block * LinesPerBlock + k;
                if (at >= codedText) break;
                int b = data[at];
                int length = (b & 0x80) != 0 ? (b & 0x7F) << 3 : b;
                var (text, bits) = DecodeLine(data, codedText, start, tree);
                lines.Add(new SkyTextLine(text, text is not null && bits <= 2 * length && bits > 2 * length - 16, length));
                start += length;
            }
            blockStart += BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4 + 2 * block));
        }
        return lines;
    }

    private static (string? Text, long Bits) DecodeLine(byte[] data, int codedText, long start, SkyHuffmanTree tree)
    {
        long first = (codedText + (start >> 2)) * 8 + 2 * (start & 3), bit = first;
        long end = (long)data.Length * 8;
        var sb = new StringBuilder();
        bool overrun = false;
        int NextBit()
        {
            if (bit >= end) { overrun = true; return 0; }
            int value = data[bit >> 3] >> (7 - (int)(bit & 7)) & 1;
            bit++;
            return value;
        }
        while (sb.Length < MaxLineLength)
        {
            byte c = tree.Decode(NextBit);
            if (overrun) return (null, bit - first);
            if (c == 0) return (sb.ToString(), bit - first);
            sb.Append((char)c);
        }
        return (null, bit - first);
    }
}
