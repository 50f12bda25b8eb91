// A FOTAQ cutscene file (.CUT): a list of objects the scene moves, animates or makes speak, and one sentence per
// object. Layout after the 20-byte resource header (big-endian):
//   u16 panel mode, i16 object count (negative: the player cannot skip), i16 flags, u16 game-state offset,
//   u16 sentence offset, u16 bank-name offset; the objects from byte 12.
// An object is 17 i16 (object number, move x/y, bank, animation list, execute, 4 x bob limits, special move,
// animation type, copy-from object, bob start x/y, room, scale), then a person count and that many i16. Animation
// frames follow (a header i16 and 9 i16 each, ended by a -2 header) only when the game animates the object: an
// object number > 0 that is not a person, or Joe (0, or -1 "room fade", which is Joe) with an animation list; and
// only when "execute" is set and no copy-from object is given. Object numbers -2/-3 are text spoken (and shown) by no
// one in particular; -4 is shown only.
// The sentences are length-prefixed strings (2-byte aligned) from the sentence offset: the first is the scene's entry
// line, then one per object, in order. A person object's sentence is spoken like a dialogue line, segment n in voice
// file <scene name padded to 5 with '_', cut to 5><object index, 2 digits><n in hex>; a text object's whole sentence
// in the same name with n = 1.
using System.Buffers.Binary;
using System.Globalization;

namespace DgTools.RealSpeech.Queen;

public enum CutawaySpeaker { None, Joe, Person, Text }

/// <param name="Index">The object's position in the scene, from 1 (the voice file number).</param>
/// <param name="ObjectNumber">The game object (0 = Joe; &gt; 0 a person for Speaker = Person).</param>
public sealed record CutawayLine(int Index, int ObjectNumber, CutawaySpeaker Speaker, string VoicePrefix, string Sentence);

public static class CutawayFile
{
    private const int ObjectFields = 17;
    private const int FrameBytes = 2 + 9 * 2;

    /// <param name="name">The resource name ("C41B.CUT"): the voice files are named after it.</param>
    /// <param name="isPerson">Whether a game object is a person (QueenLogic.IsPerson).</param>
    public static IReadOnlyList<CutawayLine> Read(string name, ReadOnlySpan<byte> file, Func<int, bool> isPerson)
    {
        if (file.Length < DialogueFile.HeaderSize + 12) throw new InvalidDataException("cutscene file shorter than its header");
        var d = file[DialogueFile.HeaderSize..];
        int count = Math.Abs((int)BinaryPrimitives.ReadInt16BigEndian(d[2..]));
        int gameStateOffset = BinaryPrimitives.ReadUInt16BigEndian(d[6..]);
        int sentenceOffset = BinaryPrimitives.ReadUInt16BigEndian(d[8..]);
        var stem = Path.GetFileNameWithoutExtension(name).ToUpperInvariant();
        var padded = stem.PadRight(5, '_')[..5];

        var speakers = new List<(int Object, CutawaySpeaker Speaker)>(count);
        int at = 12;
        Span<short> f = stackalloc short[ObjectFields];
        for (int i = 0; i < count; i++)
        {
            for (int k = 0; k < ObjectFields; k++) f[k] = BinaryPrimitives.ReadInt16BigEndian(d[(at + 2 * k)..]);
            at += 2 * ObjectFields;
            int persons = BinaryPrimitives.ReadInt16BigEndian(d[at..]);
            if (persons < 0 || persons > 6) throw new InvalidDataException($"object {i + 1} turns on {persons} persons");
            at += 2 + 2 * persons;

            int number = f[0] == -1 ? 0 : f[0];
            bool hasAnimationList = f[4] != 0, execute = f[5] != 0, copies = f[12] > 0;
            var speaker = CutawaySpeaker.None;
            bool animated = false;
            if (number is -2 or -3) speaker = CutawaySpeaker.Text;
            else if (number == -4 || copies) { }
            else if (number == 0 && !hasAnimationList) speaker = CutawaySpeaker.Joe;
            else if (number > 0 && !hasAnimationList && isPerson(number)) speaker = CutawaySpeaker.Person;
            else animated = execute;
            if (animated)
            {
                while (BinaryPrimitives.ReadInt16BigEndian(d[at..]) != -2) at += FrameBytes;
                at += 2;
            }
            speakers.Add((number, speaker));
        }
        // The objects end right before the game-state block; the game's files leave 2 (a few: 4) bytes between.
        if (at > gameStateOffset || gameStateOffset - at > 4)
            throw new InvalidDataException($"objects end at byte {at}, the game-state block starts at {gameStateOffset}: object layout not understood");

        var lines = new List<CutawayLine>(count);
        int offset = sentenceOffset;
        DialogueFile.ReadString(d, ref offset, align: 2); // the entry line (a facing code), never spoken
        for (int i = 0; i < count; i++)
        {
            var sentence = DialogueFile.ReadString(d, ref offset, align: 2);
            var prefix = padded + (i + 1).ToString("00", CultureInfo.InvariantCulture);
            lines.Add(new CutawayLine(i + 1, speakers[i].Object, speakers[i].Speaker, prefix, sentence));
        }
        return lines;
    }

    /// <summary>The voice files and texts a line speaks: a person's (or Joe's) sentence segment by segment like a
    /// dialogue line; a text object's sentence whole in segment 1. "*" alone and "#credits" lines speak nothing.</summary>
    public static IReadOnlyList<SpokenSegment> Segments(CutawayLine line)
    {
        if (line.Sentence is "" or "*" || line.Sentence.StartsWith('#') || line.Speaker == CutawaySpeaker.None) return [];
        return line.Speaker == CutawaySpeaker.Text
            ? [new SpokenSegment(line.VoicePrefix + "1.SB", line.Sentence)]
            : DialogueFile.Segments(line.VoicePrefix, line.Sentence);
    }
}
