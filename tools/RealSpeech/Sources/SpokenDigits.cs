// The Free Spoken Digit Dataset as ../shared/data/fsdd-digits holds it: {digit}_{speaker}_{take}.wav with the word in
// a same-stem .txt. Take 0 is reserved for independent evaluation: it is skipped even if a copy ever holds it.
namespace DgTools.RealSpeech.Sources;

public sealed class SpokenDigits(string directory) : ISpeechSource
{
    public string Name => "fsdd";

    public string LicenseText =>
        "Free Spoken Digit Dataset (https://github.com/Jakobovski/free-spoken-digit-dataset)\n" +
        "Licence: Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)\n" +
        "https://creativecommons.org/licenses/by-sa/4.0/\n" +
        "Read from ../shared/data/fsdd-digits; take 0 of every digit and speaker is withheld for evaluation and never used.\n";

    public IEnumerable<SpeechClip> Clips()
    {
        foreach (var wav in Directory.EnumerateFiles(directory, "*.wav").Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileNameWithoutExtension(wav);
            var parts = stem.Split('_');
            if (parts.Length != 3 || !int.TryParse(parts[2], out int take)) continue;
            if (IsReserved(take)) continue;
            var txt = Path.ChangeExtension(wav, ".txt");
            if (!File.Exists(txt)) continue;
            yield return new SpeechClip(Name, stem, parts[1], File.ReadAllText(txt).Trim(),
                () => ClipAudio.FromEncoded(File.ReadAllBytes(wav)));
        }
    }

    public static bool IsReserved(int take) => take == 0;
}
