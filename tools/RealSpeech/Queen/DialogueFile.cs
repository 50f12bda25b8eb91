// A FOTAQ dialogue file (.DOG): who says what in one conversation, with the voice file of every line.
// Layout after a 20-byte header (all big-endian):
//   i16 levels (negative: the player cannot quit), i16 unique key, i16 talk key, i16 Joe lines, i16 person lines,
//   2 x (i16 game state, i16 test value, i16 item), u16 person lines offset, u16 cutaway offset, u16 second-visit
//   offset; the dialogue tree (levels x 6 nodes x 16 bytes) from byte 32; Joe's lines from 32 + 96 x levels.
// A line list entry is 2 bytes, an i16 line id, then a string (u8 length + text) padded to 4-byte alignment; an empty
// string is the length byte alone. The second-visit block holds two strings padded to 2-byte alignment: the
// person's, then Joe's.
// Voice files are named from the talk key (2 digits), the line id (4 hex digits; SSSS for Joe's opening line, XXXX
// for the second-visit lines), J or P (Joe or the person), and the segment number (1 hex digit): the engine plays
// one file per segment of a line, segments being the text between "*NN" stage codes.
using System.Buffers.Binary;
using System.Text;

namespace DgTools.RealSpeech.Queen;

public sealed record DialogueLine(bool IsJoe, string VoicePrefix, string Text);

public sealed record SpokenSegment(string VoiceFile, string Text);

public static class DialogueFile
{
    public const int HeaderSize = 20;
    private const int TreeStart = 32;
    private const int BytesPerLevel = 6 * 16;

    public static IReadOnlyList<DialogueLine> Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderSize + TreeStart) throw new InvalidDataException("dialogue file shorter than its header");
        var d = file[HeaderSize..];
        int levels = Math.Abs((int)BinaryPrimitives.ReadInt16BigEndian(d));
        int talkKey = BinaryPrimitives.ReadInt16BigEndian(d[4..]);
        int joeCount = BinaryPrimitives.ReadInt16BigEndian(d[6..]);
        int personCount = BinaryPrimitives.ReadInt16BigEndian(d[8..]);
        int personOffset = BinaryPrimitives.ReadUInt16BigEndian(d[22..]);
        int secondVisitOffset = BinaryPrimitives.ReadUInt16BigEndian(d[26..]);
        var key = talkKey.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

        var lines = new List<DialogueLine>();
        foreach (var (id, text) in ReadLineList(d, TreeStart + levels * BytesPerLevel, joeCount))
            lines.Add(new DialogueLine(true, key + (id == 0 ? "SSSS" : Hex4(id)) + "J", text));
        foreach (var (id, text) in ReadLineList(d, personOffset, personCount))
            lines.Add(new DialogueLine(false, key + Hex4(id) + "P", text));
        int at = secondVisitOffset;
        var personAgain = ReadString(d, ref at, align: 2);
        var joeAgain = ReadString(d, ref at, align: 2);
        lines.Add(new DialogueLine(false, key + "XXXXP", personAgain));
        lines.Add(new DialogueLine(true, key + "XXXXJ", joeAgain));
        return lines;
    }

    private static List<(int Id, string Text)> ReadLineList(ReadOnlySpan<byte> d, int offset, int count)
    {
        var result = new List<(int, string)>(Math.Max(0, count));
        for (int i = 0; i < count; i++)
        {
            offset += 2;
            int id = BinaryPrimitives.ReadInt16BigEndian(d[offset..]);
            offset += 2;
            result.Add((id, ReadString(d, ref offset, align: 4)));
        }
        return result;
    }

    /// <summary>u8 length + Latin-1 text; after a non-empty string the offset is rounded up to <paramref name="align"/>
    /// (the game's dialogue and cutscene files share this string layout).</summary>
    internal static string ReadString(ReadOnlySpan<byte> d, ref int offset, int align)
    {
        int length = d[offset++];
        if (length == 0) return "";
        var text = Encoding.Latin1.GetString(d.Slice(offset, length));
        offset = (offset + length + align - 1) / align * align;
        return text;
    }

    private static string Hex4(int id) => ((ushort)id).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Splits a line into the segments the engine speaks one voice file each: text up to a '*' stage code is one
    /// segment; the code is two characters ("*03", "*FR", "*WT"; "*XY" carries 11 more: "*XY00(237,112)"); the grab
    /// codes GD and GM speak nothing but still count. Segment n (from 1) plays VoicePrefix + n in hex.
    /// </summary>
    public static IReadOnlyList<SpokenSegment> Segments(DialogueLine line) => Segments(line.VoicePrefix, line.Text);

    /// <summary>The same split for any line the engine speaks (dialogue, cutscene, Joe's descriptions): segment n
    /// (from 1) plays <paramref name="voicePrefix"/> + n in hex.</summary>
    public static IReadOnlyList<SpokenSegment> Segments(string voicePrefix, string text)
    {
        var segments = new List<SpokenSegment>();
        var s = text;
        int index = 0, start = 0, i = 0;
        while (i < s.Length)
        {
            if (s[i] != '*') { i++; continue; }
            var segment = s[start..i];
            i++;
            var code = i + 2 <= s.Length ? s.Substring(i, 2) : s[i..];
            i = Math.Min(s.Length, i + 2);
            if (code == "XY") i = Math.Min(s.Length, i + 11);
            if (code is not ("GD" or "GM")) segments.Add(new SpokenSegment(VoiceFile(voicePrefix, index), segment));
            index++;
            start = i;
        }
        if (start != i) segments.Add(new SpokenSegment(VoiceFile(voicePrefix, index), s[start..i]));
        return segments;
    }

    private static string VoiceFile(string voicePrefix, int index) =>
        voicePrefix + (index + 1).ToString("X", System.Globalization.CultureInfo.InvariantCulture) + ".SB";
}
