// Flight of the Amazon Queen's speech (.SB voice files, MP3 at 11.025 kHz, in queen.1c), each paired with the exact
// text the engine shows when it plays it. Three kinds, each found the way the engine finds it:
// - Dialogue: every segment of every .DOG line. Joe's lines are spoken by Joe; the others by the conversation's
//   person, named from the dialogue file ("BOB1.DOG" -> BOB).
// - Cutscenes: every segment of every .CUT sentence spoken by Joe or a person object; the person is the game actor
//   that object stands for (QUEEN.JAS), named as in the dialogue files (QueenCast). A line whose speaker the tables do
//   not settle (the game picks between actors by game state, or an unnamed "text" speaker) is not read: without a
//   sure speaker it could carry a held-out voice into training.
// - Joe's descriptions: JOE<nnnn><segment>, nnnn = one of Joe's 40 stock responses or 40 + an object description
//   (QUEEN2.JAS).
// The remaining .SB files are sound effects ("NNSSSSSS") and a few takes no game text refers to; they are counted, not
// guessed.
using DgTools.RealSpeech.Queen;

namespace DgTools.RealSpeech.Sources;

[Flags]
public enum QueenSpeechKinds
{
    Dialogue = 1,
    Cutscenes = 2,
    Descriptions = 4,
    All = Dialogue | Cutscenes | Descriptions,
}

public sealed class AmazonQueenSpeech(QueenResourceFile resources, string licenseFile, QueenSpeechKinds kinds = QueenSpeechKinds.All,
    Action<string>? report = null) : ISpeechSource
{
    public string Name => "fotaq";

    public string LicenseText => File.ReadAllText(licenseFile);

    public static AmazonQueenSpeech FromUnpacked(string unpacked, QueenSpeechKinds kinds = QueenSpeechKinds.All, Action<string>? report = null)
    {
        var package = Path.Combine(unpacked, "flight-of-the-amazon-queen");
        var data = Path.Combine(package, "usr/share/scummvm/flight-of-the-amazon-queen/queen.1c");
        if (!File.Exists(data)) throw new DgToolsException("flight-of-the-amazon-queen is not unpacked", data);
        var resources = new QueenResourceFile(data);
        if (resources.Compression != 1)
            throw new DgToolsException($"queen.1c compression {resources.Compression}: only the MP3 speech of Debian's package is read", data);
        return new AmazonQueenSpeech(resources, Path.Combine(package, "usr/share/doc/flight-of-the-amazon-queen/copyright"), kinds, report);
    }

    public IEnumerable<SpeechClip> Clips()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<SpeechClip> Count(string kind, IEnumerable<SpeechClip> clips)
        {
            foreach (var clip in clips)
            {
                claimed.Add(clip.Id + ".SB");
                counts[kind] = counts.GetValueOrDefault(kind) + 1;
                yield return clip;
            }
        }

        if (kinds.HasFlag(QueenSpeechKinds.Dialogue))
            foreach (var clip in Count("dialogue", DialogueClips())) yield return clip;
        QueenLogic? logic = null;
        if (kinds.HasFlag(QueenSpeechKinds.Cutscenes) || kinds.HasFlag(QueenSpeechKinds.Descriptions))
            logic = QueenLogic.Read(resources.Read("QUEEN.JAS"), resources.Read("QUEEN2.JAS"), resources.Version);
        int unknownSpeaker = 0;
        if (kinds.HasFlag(QueenSpeechKinds.Cutscenes))
            foreach (var clip in Count("cutscene", CutsceneClips(logic!, claimed, () => unknownSpeaker++))) yield return clip;
        if (kinds.HasFlag(QueenSpeechKinds.Descriptions))
            foreach (var clip in Count("description", DescriptionClips(logic!))) yield return clip;

        var voiceFiles = resources.Entries.Where(e => e.Name.EndsWith(".SB", StringComparison.Ordinal)).Select(e => e.Name).ToList();
        int effects = voiceFiles.Count(IsSoundEffect);
        int untold = voiceFiles.Count(v => !IsSoundEffect(v) && !claimed.Contains(v));
        report?.Invoke($"fotaq: {voiceFiles.Count} .SB files; read with their text: " +
            string.Join(", ", counts.Select(kv => $"{kv.Value} {kv.Key}")) +
            $"; cutscene lines without a sure speaker (not read): {unknownSpeaker}; sound effects: {effects}; " +
            $"speech files no text was found for in the kinds read: {untold}");
    }

    private IEnumerable<SpeechClip> DialogueClips()
    {
        foreach (var dog in resources.Entries.Where(e => e.Name.EndsWith(".DOG", StringComparison.Ordinal))
                     .OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var person = PersonOf(dog.Name);
            if (ReadOrWarn(dog.Name, "dialogue", data => DialogueFile.Read(data)) is not { } lines) continue;
            foreach (var line in lines)
                foreach (var segment in DialogueFile.Segments(line))
                    if (Clip(segment, line.IsJoe ? "JOE" : person) is { } clip) yield return clip;
        }
    }

    private IEnumerable<SpeechClip> CutsceneClips(QueenLogic logic, HashSet<string> claimed, Action unknownSpeaker)
    {
        foreach (var cut in resources.Entries.Where(e => e.Name.EndsWith(".CUT", StringComparison.Ordinal))
                     .OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (ReadOrWarn(cut.Name, "cutscene", data => CutawayFile.Read(cut.Name, data, logic.IsPerson)) is not { } lines) continue;
            foreach (var line in lines)
            {
                var segments = CutawayFile.Segments(line).Where(s => resources.Contains(s.VoiceFile)).ToList();
                if (segments.Count == 0) continue;
                var speaker = SpeakerOf(line, logic);
                if (speaker is null)
                {
                    foreach (var s in segments) { claimed.Add(s.VoiceFile); unknownSpeaker(); }
                    continue;
                }
                foreach (var segment in segments)
                    if (Clip(segment, speaker) is { } clip) yield return clip;
            }
        }
    }

    private IEnumerable<SpeechClip> DescriptionClips(QueenLogic logic)
    {
        int last = QueenLogic.JoeResponseCount + logic.Descriptions.Count;
        for (int number = 1; number <= last; number++)
            foreach (var segment in DialogueFile.Segments(JoeVoicePrefix(number), logic.JoeLine(number)!))
                if (Clip(segment, "JOE") is { } clip) yield return clip;
    }

    /// <summary>A game file parsed by <paramref name="parse"/>; null, with a warning, when it is damaged.</summary>
    private IReadOnlyList<T>? ReadOrWarn<T>(string name, string kind, Func<byte[], IReadOnlyList<T>> parse)
    {
        try { return parse(resources.Read(name)); }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"warning: {name}: unreadable {kind} file ({e.Message}); skipped");
            return null;
        }
    }

    private SpeechClip? Clip(SpokenSegment segment, string speaker)
    {
        if (!resources.Contains(segment.VoiceFile)) return null;
        var voice = segment.VoiceFile;
        return new SpeechClip(Name, Path.GetFileNameWithoutExtension(voice), speaker, segment.Text,
            () => ClipAudio.FromEncoded(resources.Read(voice)));
    }

    /// <summary>Joe for Joe's objects; the one character a person object can be; null when the tables leave it open.</summary>
    public static string? SpeakerOf(CutawayLine line, QueenLogic logic) => line.Speaker switch
    {
        CutawaySpeaker.Joe => "JOE",
        CutawaySpeaker.Person => QueenCast.CharacterOf(logic.ActorNamesOf(line.ObjectNumber)),
        _ => null,
    };

    /// <summary>"JOE0041": the voice prefix of Joe's stock response or description number n.</summary>
    public static string JoeVoicePrefix(int number) => "JOE" + number.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"12SSSSSS", "1001SSSS": the engine's sound effects share the .SB format but are no speech.</summary>
    public static bool IsSoundEffect(string voiceFile) => Path.GetFileNameWithoutExtension(voiceFile).EndsWith("SSSS", StringComparison.Ordinal);

    /// <summary>"BOB1.DOG" -> "BOB", "APE2.DOG" -> "APE".</summary>
    public static string PersonOf(string dogName) =>
        new string(Path.GetFileNameWithoutExtension(dogName).TakeWhile(char.IsLetter).ToArray()).ToUpperInvariant();
}
