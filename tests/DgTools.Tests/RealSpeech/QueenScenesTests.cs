using System.Buffers.Binary;
using System.Text;
using DgTools.RealSpeech.Corpus;
using DgTools.RealSpeech.Queen;
using DgTools.RealSpeech.Sources;
using Xunit;

namespace DgTools.Tests.RealSpeech;

/// <summary>FOTAQ's cutscene speech and Joe's descriptions: the logic tables (QUEEN.JAS / QUEEN2.JAS), the cutscene
/// files, who speaks, and the held-out voices. Byte fixtures are built here by hand (never game data).</summary>
public class QueenScenesTests
{
    // Room 1 holds objects 1-3: 1 a person (the room's person 1), 2 a plain object, 3 a person (person 2).
    // Room 2 holds object 4, a person. Actors: room 1 bob 1 is BOB; room 1 bob 2 is PRINCESS1 or AMGUARD (the game
    // picks by game state); room 2 bob 1 is X4_JOE.
    private static readonly (int Name, int Room, int Image)[] Objects = [(1, 1, -3), (2, 1, 5), (3, 1, -4), (4, 2, -4)];
    private static readonly (int Room, int Bob, int Name)[] Actors = [(1, 1, 1), (1, 2, 2), (1, 2, 3), (2, 1, 4)];
    private static readonly string[] ActorNames = ["BOB", "PRINCESS1", "AMGUARD", "X4_JOE"];
    private static readonly string[] Descriptions = ["It's a bone*24Ugh.", "Neat*02"];

    [Fact]
    public void Logic_tables_give_persons_their_actors_and_joes_lines_their_text()
    {
        var logic = QueenLogic.Read(BuildJas(), BuildJasText(), "CEM10");

        Assert.True(logic.IsPerson(1));
        Assert.False(logic.IsPerson(2));
        Assert.False(logic.IsPerson(99));
        Assert.Equal(["BOB"], logic.ActorNamesOf(1));
        Assert.Equal(["AMGUARD", "PRINCESS1"], logic.ActorNamesOf(3));
        Assert.Equal(["X4_JOE"], logic.ActorNamesOf(4));
        Assert.Empty(logic.ActorNamesOf(2));
        Assert.Equal("Response 1*14", logic.JoeLine(1));
        Assert.Equal("Response 40", logic.JoeLine(40));
        Assert.Equal("It's a bone*24Ugh.", logic.JoeLine(41));
        Assert.Equal("Neat*02", logic.JoeLine(42));
        Assert.Null(logic.JoeLine(43));
    }

    [Fact]
    public void Logic_tables_that_do_not_end_in_the_data_version_are_rejected()
    {
        Assert.Throws<InvalidDataException>(() => QueenLogic.Read(BuildJas(), BuildJasText(), "CEM11"));
        Assert.Throws<InvalidDataException>(() => QueenLogic.Read(BuildJas()[..^8], BuildJasText(), "CEM10"));
    }

    [Fact]
    public void Cutscene_objects_get_their_sentences_and_animation_frames_are_skipped()
    {
        var cut = BuildCutaway(
            (new CutObject(0), "Hi Bob.*01How's business?"),               // Joe, no animation list: speaks
            (new CutObject(7, AnimList: 1, Execute: 1, Frames: 2), "*"),    // animated object: frames follow
            (new CutObject(1, Persons: [1, 3]), "*FLFine.*02Fine!"),        // person object
            (new CutObject(-2), "The end*03."),                             // text spoken by no one in particular
            (new CutObject(-1), "Me again."),                               // "room fade": Joe
            (new CutObject(3, FromObject: 2), "Copied."));                 // copies another object: does not speak
        var logic = QueenLogic.Read(BuildJas(), BuildJasText(), "CEM10");

        var lines = CutawayFile.Read("c7b.cut", cut, logic.IsPerson);

        Assert.Equal(
            [
                new CutawayLine(1, 0, CutawaySpeaker.Joe, "C7B__01", "Hi Bob.*01How's business?"),
                new CutawayLine(2, 7, CutawaySpeaker.None, "C7B__02", "*"),
                new CutawayLine(3, 1, CutawaySpeaker.Person, "C7B__03", "*FLFine.*02Fine!"),
                new CutawayLine(4, -2, CutawaySpeaker.Text, "C7B__04", "The end*03."),
                new CutawayLine(5, 0, CutawaySpeaker.Joe, "C7B__05", "Me again."),
                new CutawayLine(6, 3, CutawaySpeaker.None, "C7B__06", "Copied."),
            ],
            lines);
        // A person's sentence is spoken segment by segment (the empty segment before *FL keeps its number); a text
        // object's sentence is one voice file; "*" speaks nothing.
        Assert.Equal([new SpokenSegment("C7B__031.SB", ""), new SpokenSegment("C7B__032.SB", "Fine."), new SpokenSegment("C7B__033.SB", "Fine!")],
            CutawayFile.Segments(lines[2]));
        Assert.Equal([new SpokenSegment("C7B__041.SB", "The end*03.")], CutawayFile.Segments(lines[3]));
        Assert.Empty(CutawayFile.Segments(lines[1]));
        Assert.Equal("CLONG01", CutawayFile.Read("CLONGER.CUT", cut, logic.IsPerson)[0].VoicePrefix);
    }

    [Fact]
    public void A_cutscene_whose_objects_do_not_end_at_the_game_state_block_is_rejected()
    {
        // Object 7 has no animation list: the game animates it (3 frames follow) because it is no person.
        var cut = BuildCutaway((new CutObject(7, Execute: 1, Frames: 3), "*"), (new CutObject(0), "Hello there."));
        var logic = QueenLogic.Read(BuildJas(), BuildJasText(), "CEM10");
        Assert.Equal(2, CutawayFile.Read("C1A.CUT", cut, logic.IsPerson).Count);

        // Taken for a person, its frames would be read as objects: the check says so.
        Assert.Throws<InvalidDataException>(() => CutawayFile.Read("C1A.CUT", cut, _ => true));
        Assert.Throws<InvalidDataException>(() => CutawayFile.Read("C1A.CUT", MoveGameStateBlock(cut, 8), logic.IsPerson));
    }

    [Fact]
    public void Descriptions_split_into_voice_files_like_dialogue()
    {
        Assert.Equal([new SpokenSegment("JOE00411.SB", "It's a bone"), new SpokenSegment("JOE00412.SB", "Ugh.")],
            DialogueFile.Segments(AmazonQueenSpeech.JoeVoicePrefix(41), "It's a bone*24Ugh."));
    }

    [Fact]
    public void Source_reads_cutscenes_and_descriptions_with_their_speakers_and_leaves_unsure_speakers_out()
    {
        var cut = BuildCutaway(
            (new CutObject(0), "Hi Bob."),
            (new CutObject(1), "Hello Joe.*02Buying?"),
            (new CutObject(3), "Who am I?"),       // PRINCESS1 or AMGUARD: not read
            (new CutObject(-2), "Narration."),     // text object: nobody in particular, not read
            (new CutObject(4), "I'm Joe too."));   // X4_JOE -> JOE
        var file = QueenDialogueTests.BuildResourceFile(
            ("QUEEN.JAS", BuildJas()), ("QUEEN2.JAS", BuildJasText()), ("C7B.CUT", cut),
            ("C7B__011.SB", [1]), ("C7B__021.SB", [2]), ("C7B__022.SB", [3]), ("C7B__031.SB", [4]), ("C7B__041.SB", [5]),
            ("C7B__051.SB", [6]), ("JOE00011.SB", [7]), ("JOE00411.SB", [8]), ("JOE00412.SB", [9]), ("12SSSSSS.SB", [10]));
        var reports = new List<string>();
        var source = new AmazonQueenSpeech(new QueenResourceFile("q.1c", file), "/nonexistent",
            QueenSpeechKinds.Cutscenes | QueenSpeechKinds.Descriptions, reports.Add);

        var clips = source.Clips().ToList();

        Assert.Equal(
            [
                ("C7B__011", "JOE", "Hi Bob."), ("C7B__021", "BOB", "Hello Joe."), ("C7B__022", "BOB", "Buying?"),
                ("C7B__051", "JOE", "I'm Joe too."), ("JOE00011", "JOE", "Response 1"), ("JOE00411", "JOE", "It's a bone"),
                ("JOE00412", "JOE", "Ugh."),
            ],
            clips.Select(c => (c.Id, c.Speaker, c.Text)));
        Assert.Equal([9], clips[^1].LoadAudio().Encoded);
        var report = Assert.Single(reports);
        Assert.Contains("4 cutscene, 3 description", report);
        Assert.Contains("without a sure speaker (not read): 2", report);
        Assert.Contains("sound effects: 1", report);
        Assert.Contains("no text was found for in the kinds read: 0", report);
    }

    [Fact]
    public void Game_actor_names_map_to_the_dialogue_files_characters()
    {
        Assert.Equal("PRIN", QueenCast.CharacterOf("PRINCESS1"));
        Assert.Equal("PRIN", QueenCast.CharacterOf("AZURA-H"));
        Assert.Equal("JOE", QueenCast.CharacterOf("X10_JOE"));
        Assert.Equal("FAYE", QueenCast.CharacterOf("FAYE-E"));
        Assert.Equal("AND", QueenCast.CharacterOf("ANDSON-E"));
        Assert.Equal("JOHN", QueenCast.CharacterOf("JOHAN"));
        Assert.Equal("LOLA", QueenCast.CharacterOf("LOLA_SHOWER"));
        Assert.Equal("APE", QueenCast.CharacterOf("APE2"));
        Assert.Null(QueenCast.CharacterOf("SKULL"));
        Assert.Equal("SPARKY", QueenCast.CharacterOf(["SPARKY", "SPARKY-F"]));
        Assert.Null(QueenCast.CharacterOf(["FRANK", "SPARKY"]));
        Assert.Null(QueenCast.CharacterOf(["FAYE", "GUARDS"]));
    }

    [Fact]
    public void The_development_set_holds_out_every_character_of_the_held_out_characters_voice_artists()
    {
        var split = DevSplit.For("en");

        // Frank's artist also speaks Bud, John, Chef and the bellboy; Klunk's (two credited) Anderson, Henry, Charon,
        // Rico and Hugh; Naomi's the secretary and the zombie woman.
        foreach (var held in new[] { "FRANK", "KLUNK", "NAOMI", "BUD", "JOHN", "CHEF", "MIKE", "AND", "HENRY", "DEATH", "RICO", "HUGH", "SEC", "ZOMBIE", "MAN" })
            Assert.True(split.IsHeldOut("fotaq", held), held);
        foreach (var trained in new[] { "JOE", "BOB", "SPARKY", "FAYE", "PRIN", "TAM", "WITCH", "ORACLE", "IAN", "CHIEF" })
            Assert.False(split.IsHeldOut("fotaq", trained), trained);
        Assert.True(split.IsHeldOut("fsdd", "george"));
    }

    private sealed record CutObject(int Number, int AnimList = 0, int Execute = 0, int Frames = 0, int FromObject = 0, int[]? Persons = null);

    private static byte[] MoveGameStateBlock(byte[] cut, int bytes)
    {
        var copy = (byte[])cut.Clone();
        var at = copy.AsSpan(DialogueFile.HeaderSize + 6);
        BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(at) + bytes));
        return copy;
    }

    private static byte[] BuildCutaway(params (CutObject Object, string Sentence)[] objects)
    {
        var d = new List<byte>(new byte[12]);
        foreach (var (o, _) in objects)
        {
            var fields = new int[17];
            fields[0] = o.Number;
            fields[4] = o.AnimList;
            fields[5] = o.Execute;
            fields[12] = o.FromObject;
            foreach (var f in fields) d.AddRange(I16(f));
            var persons = o.Persons ?? [];
            d.AddRange(I16(persons.Length));
            foreach (var p in persons) d.AddRange(I16(p));
            if (o.Frames > 0 || (o.AnimList != 0 && o.Execute != 0))
            {
                for (int i = 0; i < o.Frames; i++)
                {
                    d.AddRange(I16(0));
                    for (int k = 0; k < 9; k++) d.AddRange(I16(k + 1));
                }
                d.AddRange(I16(-2));
            }
        }
        d.AddRange(I16(0)); // the 2 bytes the game's files leave before the game-state block
        int gameState = d.Count;
        d.AddRange(I16(0)); // no game states
        int sentences = d.Count;
        foreach (var s in new[] { "*FL" }.Concat(objects.Select(o => o.Sentence)))
        {
            d.Add((byte)s.Length);
            if (s.Length == 0) continue;
            d.AddRange(Encoding.Latin1.GetBytes(s));
            if (d.Count % 2 != 0) d.Add(0xEE);
        }
        var header = new List<byte>();
        header.AddRange(I16(0));
        header.AddRange(I16(objects.Length));
        header.AddRange(I16(0));
        header.AddRange(I16(gameState));
        header.AddRange(I16(sentences));
        header.AddRange(I16(d.Count));
        d.RemoveRange(0, 12);
        d.InsertRange(0, header);
        return [.. new byte[DialogueFile.HeaderSize], .. d];
    }

    private static byte[] BuildJas()
    {
        const int rooms = 2, names = 4, descriptions = 2;
        var d = new List<byte>(new byte[DialogueFile.HeaderSize]);
        void U(int v) => d.AddRange(I16(v));
        U(rooms); U(names); U(Objects.Length); U(descriptions);
        foreach (var (name, room, image) in Objects) { U(name); U(0); U(0); U(0); U(0); U(room); U(0); U(image); }
        U(0); U(3); U(4);                            // room table: room 1 = objects 1-3, room 2 = object 4
        U(0); U(0);                                  // sound effects
        U(0);                                        // items
        U(1); d.AddRange(new byte[10]);              // graphics: one
        U(0); U(1); d.AddRange(new byte[16]);        // room 1: one area
        U(0); U(0);                                  // room 2: none
        d.AddRange(new byte[8 * Objects.Length]);    // object boxes
        U(0);                                        // walk-offs
        U(1); d.AddRange(new byte[8]);               // object descriptions
        U(0); d.AddRange(new byte[20]);              // commands: none, but one dummy record is stored
        U(2); d.AddRange(new byte[12]);
        U(0); d.AddRange(new byte[6]);
        U(0); d.AddRange(new byte[6]);
        U(1); d.AddRange(new byte[8]);
        U(0);                                        // entry object
        U(1); d.AddRange(new byte[4]);               // furniture
        U(Actors.Length); U(1); U(ActorNames.Length); U(1);
        foreach (var (room, bob, name) in Actors) { U(room); U(bob); U(name); d.AddRange(new byte[18]); }
        U(0); d.AddRange(new byte[6]);               // graphic animations
        d.AddRange("CEM10"u8.ToArray());
        d.AddRange(new byte[3]);
        return [.. d];
    }

    private static byte[] BuildJasText()
    {
        var lines = new List<string>(Descriptions);
        lines.AddRange(["Bone", "Shop", "Bob", "Joe"]);                     // object names
        lines.AddRange(["ROOM1", "ROOM2"]);                                 // room names
        lines.AddRange(Enumerable.Range(1, 12).Select(i => $"Verb {i}"));
        lines.Add("Response 1*14");
        lines.AddRange(Enumerable.Range(2, 39).Select(i => $"Response {i}"));
        lines.Add("101,010,000");                                            // actor animations
        lines.AddRange(ActorNames);
        lines.Add("BOB.BBK");                                                // actor files
        return Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n");
    }

    private static byte[] I16(int v) { var b = new byte[2]; BinaryPrimitives.WriteInt16BigEndian(b, (short)v); return b; }
}
