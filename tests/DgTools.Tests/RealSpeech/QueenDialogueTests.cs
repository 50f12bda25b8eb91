using System.Buffers.Binary;
using System.Text;
using DgTools.RealSpeech.Queen;
using DgTools.RealSpeech.Sources;
using Xunit;

namespace DgTools.Tests.RealSpeech;

/// <summary>FOTAQ's resource table and dialogue files, on byte fixtures built here by hand (never game data).</summary>
public class QueenDialogueTests
{
    [Fact]
    public void Resource_table_lists_entries_and_reads_their_bytes()
    {
        var payloadA = "hello"u8.ToArray();
        var payloadB = new byte[] { 0xFF, 0xE3, 0x18, 0xC4 };
        var file = BuildResourceFile(("BOB1.DOG", payloadA), ("020006J1.SB", payloadB));

        var resources = new QueenResourceFile("test.1c", file);

        Assert.Equal("CEM10", resources.Version);
        Assert.Equal(1, resources.Compression);
        Assert.Equal(["020006J1.SB", "BOB1.DOG"], resources.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(payloadA, resources.Read("BOB1.DOG"));
        Assert.Equal(payloadB, resources.Read("020006J1.SB"));
        Assert.False(resources.Contains("NOPE.SB"));
    }

    [Fact]
    public void Resource_table_rejects_a_file_without_the_signature_and_entries_past_the_end()
    {
        Assert.Throws<DgToolsException>(() => new QueenResourceFile("x", new byte[40]));
        var file = BuildResourceFile(("A.SB", new byte[10]));
        Assert.Throws<DgToolsException>(() => new QueenResourceFile("x", file[..^4]));
    }

    [Fact]
    public void Dialogue_file_gives_joe_person_and_second_visit_lines_with_their_voice_prefixes()
    {
        var dog = BuildDialogue(talkKey: 6, levels: 1,
            joe: [(0, "Excuse me Bob.*03"), (0x2A, "Nice shop.*01")],
            person: [(1, "Hello.*02Can I help?"), (0x24, "")],
            personAgain: "You again?", joeAgain: "Me again.");

        var lines = DialogueFile.Read(dog);

        Assert.Equal(
            [
                new DialogueLine(true, "06SSSSJ", "Excuse me Bob.*03"),
                new DialogueLine(true, "06002AJ", "Nice shop.*01"),
                new DialogueLine(false, "060001P", "Hello.*02Can I help?"),
                new DialogueLine(false, "060024P", ""),
                new DialogueLine(false, "06XXXXP", "You again?"),
                new DialogueLine(true, "06XXXXJ", "Me again."),
            ],
            lines);
    }

    [Fact]
    public void Segments_split_at_stage_codes_and_number_voice_files_in_hex()
    {
        var line = new DialogueLine(false, "060001P", "One.*03Two.*XY00(237,112)Three.*GDFour.*WT*01Five.*02Six.*03Seven.*04Eight.*05Nine.*06Ten.*07Eleven");

        var segments = DialogueFile.Segments(line);

        // The XY code's 11 extra characters are skipped; "Three." ends at GD, which speaks nothing but still takes a
        // number (3); WT's empty segment is kept for the caller to drop.
        Assert.Equal(
            [
                new SpokenSegment("060001P1.SB", "One."), new SpokenSegment("060001P2.SB", "Two."),
                new SpokenSegment("060001P4.SB", "Four."), new SpokenSegment("060001P5.SB", ""),
                new SpokenSegment("060001P6.SB", "Five."), new SpokenSegment("060001P7.SB", "Six."),
                new SpokenSegment("060001P8.SB", "Seven."), new SpokenSegment("060001P9.SB", "Eight."),
                new SpokenSegment("060001PA.SB", "Nine."), new SpokenSegment("060001PB.SB", "Ten."),
                new SpokenSegment("060001PC.SB", "Eleven"),
            ],
            segments);
    }

    [Fact]
    public void A_line_without_codes_is_one_segment_and_an_empty_line_none()
    {
        Assert.Equal([new SpokenSegment("01XXXXJ1.SB", "Hi Bob.")], DialogueFile.Segments(new DialogueLine(true, "01XXXXJ", "Hi Bob.")));
        Assert.Empty(DialogueFile.Segments(new DialogueLine(true, "01XXXXJ", "")));
    }

    [Fact]
    public void Source_pairs_segments_with_existing_voice_files_and_names_speakers()
    {
        var dog = BuildDialogue(talkKey: 6, levels: 0, joe: [(0x2A, "Nice shop.*01Really.")],
            person: [(1, "Thanks.*02")], personAgain: "", joeAgain: "");
        var file = BuildResourceFile(("BOB1.DOG", dog), ("06002AJ1.SB", [1]), ("060001P1.SB", [2]));
        var source = new AmazonQueenSpeech(new QueenResourceFile("q.1c", file), "/nonexistent", QueenSpeechKinds.Dialogue);

        var clips = source.Clips().ToList();

        // 06002AJ2 (the segment "Really.") has no voice file: skipped.
        Assert.Equal([("06002AJ1", "JOE", "Nice shop."), ("060001P1", "BOB", "Thanks.")],
            clips.Select(c => (c.Id, c.Speaker, c.Text)));
        Assert.Equal([2], clips[1].LoadAudio().Encoded);
        Assert.Equal("BOB", AmazonQueenSpeech.PersonOf("BOB12.DOG"));
    }

    internal static byte[] BuildResourceFile(params (string Name, byte[] Data)[] entries)
    {
        var header = new List<byte>();
        header.AddRange("QTBL"u8.ToArray());
        header.AddRange("CEM10\0"u8.ToArray());
        header.AddRange(new byte[] { 0, 0, 1 });
        header.AddRange(U16(entries.Length));
        int offset = 15 + 21 * entries.Length;
        var body = new List<byte>();
        foreach (var (name, data) in entries)
        {
            var n = new byte[12];
            Encoding.ASCII.GetBytes(name).CopyTo(n, 0);
            header.AddRange(n);
            header.Add(1);
            header.AddRange(U32(offset + body.Count));
            header.AddRange(U32(data.Length));
            body.AddRange(data);
        }
        return [.. header, .. body];
    }

    internal static byte[] BuildDialogue(int talkKey, int levels, (int Id, string Text)[] joe, (int Id, string Text)[] person,
        string personAgain, string joeAgain)
    {
        var d = new List<byte>(new byte[32 + levels * 96]);
        void Put16(int at, int v) => BinaryPrimitives.WriteInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(d)[at..], (short)v);
        void AppendList((int Id, string Text)[] lines)
        {
            foreach (var (id, text) in lines)
            {
                d.AddRange(new byte[2]);
                d.AddRange(U16(id));
                d.Add((byte)text.Length);
                if (text.Length == 0) continue;
                d.AddRange(Encoding.Latin1.GetBytes(text));
                while (d.Count % 4 != 0) d.Add(0xEE);
            }
        }
        Put16(0, levels);
        Put16(4, talkKey);
        Put16(6, joe.Length);
        Put16(8, person.Length);
        AppendList(joe);
        Put16(22, d.Count);
        AppendList(person);
        Put16(26, d.Count);
        foreach (var s in new[] { personAgain, joeAgain })
        {
            d.Add((byte)s.Length);
            if (s.Length == 0) continue;
            d.AddRange(Encoding.Latin1.GetBytes(s));
            if (d.Count % 2 != 0) d.Add(0xEE);
        }
        return [.. new byte[DialogueFile.HeaderSize], .. d];
    }

    private static byte[] U16(int v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); return b; }

    private static byte[] U32(int v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, (uint)v); return b; }
}
