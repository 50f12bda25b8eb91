// The Asterisk core sound prompts: one WAV per prompt under sounds/<voice>/ (subfolders such as digits/), and the
// text package's core-sounds-LANG.txt.gz with one "name: text" line per prompt (';' starts a comment). Names with a
// folder ("digits/1") map to that subfolder's file.
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace DgTools.RealSpeech.Sources;

public sealed partial class AsteriskPrompts(string textFile, string soundsDirectory, string licenseFile, string speaker)
    : ISpeechSource
{
    public string Name => "asterisk";

    public string LicenseText => File.ReadAllText(licenseFile);

    /// <summary>Finds the unpacked packages asterisk-core-sounds-LANG and -LANG-wav under <paramref name="unpacked"/>.</summary>
    public static AsteriskPrompts FromUnpacked(string unpacked, string language)
    {
        var text = Path.Combine(unpacked, $"asterisk-core-sounds-{language}", "usr/share/doc", $"asterisk-core-sounds-{language}",
            $"core-sounds-{language}.txt.gz");
        var wavPackage = Path.Combine(unpacked, $"asterisk-core-sounds-{language}-wav");
        var soundsRoot = Path.Combine(wavPackage, "usr/share/asterisk/sounds");
        var voices = Directory.Exists(soundsRoot) ? Directory.GetDirectories(soundsRoot) : [];
        if (!File.Exists(text) || voices.Length != 1)
            throw new DgToolsException($"asterisk-core-sounds-{language} and -{language}-wav are not unpacked (need {text} and one voice folder)", unpacked);
        var license = Path.Combine(wavPackage, "usr/share/doc", $"asterisk-core-sounds-{language}-wav", "copyright");
        // Every prompt of a language is one voice (Allison Smith, per the package's copyright file).
        return new AsteriskPrompts(text, voices[0], license, $"allison-{language}");
    }

    public IEnumerable<SpeechClip> Clips()
    {
        foreach (var (name, text) in ReadPromptText(ReadGzipText(textFile)))
        {
            var wav = Path.Combine(soundsDirectory, name + ".wav");
            if (!File.Exists(wav)) continue;
            var id = name.Replace('/', '_');
            yield return new SpeechClip(Name, id, speaker, SpeakKeys(text), () => ClipAudio.FromEncoded(File.ReadAllBytes(wav)));
        }
    }

    /// <summary>The "name: text" lines of a core-sounds text file; comments and lines without a colon are skipped.</summary>
    public static IEnumerable<(string Name, string Text)> ReadPromptText(string content)
    {
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith(';')) continue;
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line[..colon].Trim();
            if (name.Contains(' ')) continue;
            yield return (name, line[(colon + 1)..].Trim());
        }
    }

    /// <summary>The phone keys as the prompts say them: "press * to ..." is "press star", "#" is "pound". A key in
    /// brackets ("asterisk [*]") is a stage note the cleaner removes, so only free-standing keys are replaced.</summary>
    public static string SpeakKeys(string text) => KeyWord().Replace(text, m => m.Value == "*" ? "star" : "pound");

    [GeneratedRegex(@"(?<![\[\w])[*#](?![\]\w])")]
    private static partial Regex KeyWord();

    private static string ReadGzipText(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
