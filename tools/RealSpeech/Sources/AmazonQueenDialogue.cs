// Flight of the Amazon Queen's dialogue: every segment of every .DOG line whose voice file (.SB, MP3 at 11.025 kHz)
// is in queen.1c. Joe's lines are spoken by Joe; the other lines by the conversation's person, named from the
// dialogue file ("BOB1.DOG" -> BOB). Cutscene and object-description speech (C*.SB and others) have their text in
// other files and are not read.
using DgTools.RealSpeech.Queen;

namespace DgTools.RealSpeech.Sources;

public sealed class AmazonQueenDialogue(QueenResourceFile resources, string licenseFile) : ISpeechSource
{
    public string Name => "fotaq";

    public string LicenseText => File.ReadAllText(licenseFile);

    public static AmazonQueenDialogue FromUnpacked(string unpacked)
    {
        var package = Path.Combine(unpacked, "flight-of-the-amazon-queen");
        var data = Path.Combine(package, "usr/share/scummvm/flight-of-the-amazon-queen/queen.1c");
        if (!File.Exists(data)) throw new DgToolsException("flight-of-the-amazon-queen is not unpacked", data);
        var resources = new QueenResourceFile(data);
        if (resources.Compression != 1)
            throw new DgToolsException($"queen.1c compression {resources.Compression}: only the MP3 speech of Debian's package is read", data);
        return new AmazonQueenDialogue(resources, Path.Combine(package, "usr/share/doc/flight-of-the-amazon-queen/copyright"));
    }

    public IEnumerable<SpeechClip> Clips()
    {
        foreach (var dog in resources.Entries.Where(e => e.Name.EndsWith(".DOG", StringComparison.Ordinal))
                     .OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var person = PersonOf(dog.Name);
            IReadOnlyList<DialogueLine> lines;
            try { lines = DialogueFile.Read(resources.Read(dog.Name)); }
            catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                Console.Error.WriteLine($"warning: {dog.Name}: unreadable dialogue file ({e.Message}); skipped");
                continue;
            }
            foreach (var line in lines)
                foreach (var segment in DialogueFile.Segments(line))
                {
                    if (!resources.Contains(segment.VoiceFile)) continue;
                    var voice = segment.VoiceFile;
                    yield return new SpeechClip(Name, Path.GetFileNameWithoutExtension(voice), line.IsJoe ? "JOE" : person,
                        segment.Text, () => ClipAudio.FromEncoded(resources.Read(voice)));
                }
        }
    }

    /// <summary>"BOB1.DOG" -> "BOB", "APE2.DOG" -> "APE".</summary>
    public static string PersonOf(string dogName) =>
        new string(Path.GetFileNameWithoutExtension(dogName).TakeWhile(char.IsLetter).ToArray()).ToUpperInvariant();
}
