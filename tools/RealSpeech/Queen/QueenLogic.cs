// The game logic tables of Flight of the Amazon Queen that tell who speaks a cutscene line and what Joe says when he
// describes an object. Two resources of queen.1c:
//   QUEEN.JAS (after the 20-byte resource header; all big-endian u16/i16):
//     rooms, names, objects, descriptions; objects x 16 bytes (name, x, y, description, entry object, room, state,
//     image); room table (rooms + 1: the first object of room r is roomTable[r] + 1); sound effects (rooms);
//     items (count + 10 bytes each); graphics (count + 10); per room: object max, area count, areas x 16; one 8-byte
//     box per object; walk-offs (count + 6); object descriptions (count + 8); five command lists (count, then
//     max(count, 1) records of 20, 6, 6, 6 and 8 bytes); entry object; furniture (count + 4); actors: count, anim
//     strings, name strings, file strings, then actors x 24 bytes (room, bob number, name, game-state slot and
//     value, colour, standing frame, x, y, anim, bank, file); graphic animations (count, max(count, 1) x 6); then the
//     five-character data version ("CEM10"), which we check.
//   QUEEN2.JAS: text lines separated by CR LF: object descriptions, object names, room names, 12 verbs, Joe's 40
//     responses, actor animation strings, actor names, actor files.
// A person object has image -3 or -4; it is the n-th person of its room (counting person objects from the room's
// first object), and the actors of that room with bob number n are who it can be (the game picks one by game state).
using System.Buffers.Binary;
using System.Text;

namespace DgTools.RealSpeech.Queen;

public sealed record QueenObject(int Name, int Room, int Image)
{
    public bool IsPerson => Image is -3 or -4;
}

public sealed record QueenActor(int Room, int BobNumber, string Name);

public sealed class QueenLogic
{
    /// <summary>Joe's stock responses come first in the JOEnnnn voice numbering; descriptions follow.</summary>
    public const int JoeResponseCount = 40;

    private const int VerbCount = 12;

    /// <summary>Objects 1..N (index 0 unused, as in the game).</summary>
    public required IReadOnlyList<QueenObject> Objects { get; init; }

    /// <summary>roomTable[r] + 1 is room r's first object.</summary>
    public required IReadOnlyList<int> RoomTable { get; init; }

    public required IReadOnlyList<QueenActor> Actors { get; init; }

    public required IReadOnlyList<string> Descriptions { get; init; }

    public required IReadOnlyList<string> JoeResponses { get; init; }

    /// <param name="jas">QUEEN.JAS as stored (with its 20-byte resource header).</param>
    /// <param name="text">QUEEN2.JAS as stored (plain text, no header).</param>
    /// <param name="version">The data version the tables must end with (the resource file's, "CEM10").</param>
    public static QueenLogic Read(byte[] jas, byte[] text, string version)
    {
        var r = new Reader(jas, 20);
        int rooms = r.U16(), names = r.U16(), objectCount = r.U16(), descriptions = r.U16();
        var objects = new List<QueenObject>(objectCount + 1) { new(0, 0, 0) };
        for (int i = 0; i < objectCount; i++)
        {
            int name = r.I16();
            r.Skip(8);
            int room = r.U16();
            r.Skip(2);
            objects.Add(new QueenObject(name, room, r.I16()));
        }
        var roomTable = new List<int> { 0 };
        for (int i = 0; i <= rooms; i++) roomTable.Add(r.U16());
        roomTable[rooms + 1] = objectCount;
        r.Skip(2 * rooms);                    // sound effect per room
        r.Skip(10 * r.U16());                 // items
        r.Skip(10 * r.U16());                 // graphics
        for (int i = 0; i < rooms; i++)
        {
            r.Skip(2);                        // object max
            r.Skip(16 * r.I16());             // areas
        }
        r.Skip(8 * objectCount);              // object boxes
        r.Skip(6 * r.U16());                  // walk-off points
        r.Skip(8 * r.U16());                  // object descriptions (which description comes next)
        foreach (var size in new[] { 20, 6, 6, 6, 8 }) r.Skip(size * Math.Max(1, r.U16()));
        r.Skip(2);                            // entry object
        r.Skip(4 * r.U16());                  // furniture
        int actorCount = r.U16(), animCount = r.U16(), nameCount = r.U16(), fileCount = r.U16();
        var rawActors = new List<(int Room, int Bob, int Name)>();
        for (int i = 0; i < actorCount; i++)
        {
            int room = r.I16(), bob = r.I16(), name = r.U16();
            r.Skip(18);
            rawActors.Add((room, bob, name));
        }
        r.Skip(6 * Math.Max(1, r.U16()));     // graphic animations
        var tail = Encoding.ASCII.GetString(r.Take(5));
        if (tail != version[..Math.Min(5, version.Length)])
            throw new InvalidDataException($"QUEEN.JAS tables end in '{tail}', not the data version '{version}': layout not understood");

        var lines = Encoding.Latin1.GetString(text).Split("\r\n");
        int need = descriptions + names + rooms + VerbCount + JoeResponseCount + animCount + nameCount + fileCount;
        if (lines.Length < need) throw new InvalidDataException($"QUEEN2.JAS has {lines.Length} lines, the tables need {need}");
        int actorNames = descriptions + names + rooms + VerbCount + JoeResponseCount + animCount;
        var actors = rawActors.Select(a => new QueenActor(a.Room, a.Bob,
            a.Name >= 1 && a.Name <= nameCount ? lines[actorNames + a.Name - 1] : "")).ToList();
        return new QueenLogic
        {
            Objects = objects,
            RoomTable = roomTable,
            Actors = actors,
            Descriptions = lines[..descriptions],
            JoeResponses = lines[(descriptions + names + rooms + VerbCount)..(descriptions + names + rooms + VerbCount + JoeResponseCount)],
        };
    }

    public bool IsPerson(int obj) => obj >= 1 && obj < Objects.Count && Objects[obj].IsPerson;

    /// <summary>The actor names a person object can stand for (one unless the game picks by game state).</summary>
    public IReadOnlyList<string> ActorNamesOf(int obj)
    {
        if (!IsPerson(obj)) return [];
        int room = Objects[obj].Room;
        if (room < 1 || room + 1 >= RoomTable.Count) return [];
        int bob = 0;
        for (int i = RoomTable[room] + 1; i <= obj; i++)
            if (Objects[i].IsPerson) bob++;
        return Actors.Where(a => a.Room == room && a.BobNumber == bob).Select(a => a.Name)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>What Joe says in voice file JOE&lt;number&gt;: a stock response (1..40) or an object description.</summary>
    public string? JoeLine(int number) =>
        number >= 1 && number <= JoeResponseCount ? JoeResponses[number - 1]
        : number > JoeResponseCount && number - JoeResponseCount <= Descriptions.Count ? Descriptions[number - JoeResponseCount - 1]
        : null;

    private sealed class Reader(byte[] data, int start)
    {
        private int _at = start;

        public int U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

        public int I16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

        public void Skip(int bytes)
        {
            if (bytes < 0 || _at + bytes > data.Length) throw new InvalidDataException("QUEEN.JAS ends inside its tables");
            _at += bytes;
        }

        public ReadOnlySpan<byte> Take(int bytes)
        {
            Skip(bytes);
            return data.AsSpan(_at - bytes, bytes);
        }
    }
}
