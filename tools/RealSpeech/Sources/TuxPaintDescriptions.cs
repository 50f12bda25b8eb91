// Tux Paint's spoken stamp descriptions in one language: <stamp>_desc_<lang>.ogg beside <stamp>.txt, whose
// "<lang>.utf8=" line is the sentence read aloud. One narrator per language. Stamps that share a recording (the
// same bytes under several names) are read once.
using System.Security.Cryptography;

namespace DgTools.RealSpeech.Sources;

public sealed class TuxPaintDescriptions(string language, string stampsRoot, string licenseFile) : ISpeechSource
{
    public string Name => "tuxpaint";

    public string LicenseText => File.ReadAllText(licenseFile);

    public static TuxPaintDescriptions FromUnpacked(string unpacked, string language)
    {
        var package = Path.Combine(unpacked, "tuxpaint-stamps-default");
        var stamps = Path.Combine(package, "usr/share/tuxpaint/stamps");
        if (!Directory.Exists(stamps)) throw new DgToolsException("tuxpaint-stamps-default is not unpacked", package);
        return new TuxPaintDescriptions(language, stamps, Path.Combine(package, "usr/share/doc/tuxpaint-stamps-default/copyright"));
    }

    public IEnumerable<SpeechClip> Clips()
    {
        var suffix = $"_desc_{language}.ogg";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ogg in Directory.EnumerateFiles(stampsRoot, "*" + suffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stem = ogg[..^suffix.Length];
            var text = DescriptionOf(stem + ".txt", language);
            if (text is null) continue;
            var bytes = File.ReadAllBytes(ogg);
            if (!seen.Add(Convert.ToHexString(SHA256.HashData(bytes)))) continue;
            var id = Path.GetRelativePath(stampsRoot, stem).Replace('/', '-');
            yield return new SpeechClip(Name, id, $"tuxpaint-{language}", text, () => ClipAudio.FromEncoded(bytes));
        }
    }

    /// <summary>The "<paramref name="language"/>.utf8=" line of a stamp description file, or null.</summary>
    public static string? DescriptionOf(string txtPath, string language)
    {
        if (!File.Exists(txtPath)) return null;
        var prefix = language + ".utf8=";
        return File.ReadLines(txtPath).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();
    }
}
