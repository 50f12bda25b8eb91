using System.Buffers.Binary;
using DgTools.RealSpeech.Sky;
using DgTools.RealSpeech.Sources;
using Xunit;

namespace DgTools.Tests.RealSpeech;

/// <summary>Beneath a Steel Sky's subtitle coding, on a code tree and text section built here (never game data).</summary>
public class SkyTextTests
{
    // A small tree in depth-first order, as the game's are: root {1,4}; node 1 {2,3} with leaves 2 'a', 3 'b';
    // node 4 {5,6} with leaf 5 <end> and node 6 {7,8}: leaves 7 'c', 8 ' '.
    // Codes (0 = left): a=00, b=01, end=10, c=110, ' '=111.
    private static readonly byte[] Nodes = [1, 4, 0, 2, 3, 0, 0, 0, (byte)'a', 0, 0, (byte)'b', 5, 6, 0, 0, 0, 0, 7, 8, 0, 0, 0, (byte)'c', 0, 0, (byte)' '];
    private static readonly Dictionary<char, string> Codes = new() { ['a'] = "00", ['b'] = "01", ['\0'] = "10", ['c'] = "110", [' '] = "111" };

    [Fact]
    public void Finds_node_tables_among_other_bytes()
    {
        var decoy = new byte[] { 1, 5, 0, 2, 9, 0, 7, 7, 7 };      // starts like a tree, children out of range
        byte[] binary = [.. "ELF junk"u8.ToArray(), .. decoy, .. Nodes, 0x55, 0xAA, .. Nodes];

        var trees = SkyHuffmanTree.FindIn(binary, minLeaves: 4);

        Assert.Equal(2, trees.Count);
        Assert.All(trees, t => Assert.Equal((9, 5), (t.NodeCount, t.LeafCount)));
        Assert.Empty(SkyHuffmanTree.FindIn(binary, minLeaves: 6));
    }

    [Fact]
    public void Decodes_lines_at_their_offsets_across_blocks()
    {
        var lines = Enumerable.Range(0, 34).Select(i => i % 3 == 0 ? "abc cab" : i % 3 == 1 ? "b" : "cc a").ToArray();
        lines[5] = new string('c', 90) + " a"; // 136 units: stored as a long length, (0x80 | 17) x 8
        var section = Section(lines);

        var decoded = SkyText.ReadSection(section, new SkyHuffmanTree(Nodes));

        Assert.Equal(lines, decoded.Take(34).Select(l => l.Text));
        Assert.All(decoded.Take(34), l => Assert.True(l.FitsItsLength));
    }

    [Fact]
    public void The_tree_that_fits_the_length_table_is_chosen()
    {
        var section = Section(["b a ccc ccc ccc", "ba cccc bcbc", "cb a bbbb cccc", "a ccc bbb ccc"]);
        // The same shape with 'a' and the end swapped: every line stops at its first 'a', long before its length.
        var wrong = (byte[])Nodes.Clone();
        (wrong[8], wrong[17]) = (0, (byte)'a');
        var right = new SkyHuffmanTree(Nodes);

        Assert.Same(right, SteelSkyDialogue.ChooseTree([new SkyHuffmanTree(wrong), right], section));
        Assert.Null(SteelSkyDialogue.ChooseTree([new SkyHuffmanTree(wrong)], section));
    }

    [Fact]
    public void Speech_is_unsigned_8_bit_after_the_header()
    {
        var file = new byte[SkyDisk.DataHeaderSize + 4];
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(12), (ushort)(SkyDisk.DataHeaderSize + 3)); // announces 3 samples
        file[22] = 128; file[23] = 255; file[24] = 0; file[25] = 77;

        var audio = SteelSkyDialogue.Speech(file);

        Assert.Equal(11025, audio.SampleRate);
        Assert.Equal([0f, 127 / 128f, -1f], audio.Samples!);
    }

    /// <summary>A section as the format describes it: header, one length per block, one length byte per line (in
    /// 2-bit units, long ones as (b &amp; 0x7F) x 8), then the lines' codes, each padded to a 2-bit boundary.</summary>
    private static byte[] Section(string[] lines)
    {
        int blocks = (lines.Length + SkyText.LinesPerBlock - 1) / SkyText.LinesPerBlock;
        var bits = new List<int>();
        var lengths = new List<int>();
        foreach (var line in lines)
        {
            int before = bits.Count;
            foreach (var c in line + "\0") bits.AddRange(Codes[c].Select(ch => ch - '0'));
            while ((bits.Count - before) % 2 != 0) bits.Add(0);
            int units = (bits.Count - before) / 2;
            if (units >= 0x80) { while (units % 8 != 0) { bits.AddRange([0, 0]); units++; } }
            lengths.Add(units);
        }
        int lengthTable = 4 + 2 * blocks, codedText = lengthTable + blocks * SkyText.LinesPerBlock;
        var data = new byte[codedText + (bits.Count + 7) / 8];
        BinaryPrimitives.WriteUInt16LittleEndian(data, (ushort)lengthTable);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), (ushort)codedText);
        for (int b = 0; b < blocks; b++)
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4 + 2 * b),
                (ushort)lengths.Skip(b * SkyText.LinesPerBlock).Take(SkyText.LinesPerBlock).Sum());
        for (int i = 0; i < lengths.Count; i++)
            data[lengthTable + i] = (byte)(lengths[i] >= 0x80 ? 0x80 | lengths[i] >> 3 : lengths[i]);
        for (int i = 0; i < bits.Count; i++)
            if (bits[i] == 1) data[codedText + i / 8] |= (byte)(0x80 >> (i % 8));
        return data;
    }
}
