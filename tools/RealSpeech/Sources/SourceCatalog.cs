// The sources each language's real-speech corpus is built from, found in the directory where build.sh unpacked the
// Debian packages (one folder per package).
namespace DgTools.RealSpeech.Sources;

public static class SourceCatalog
{
    public static IEnumerable<ISpeechSource> For(string language, string unpacked, string? fsddDirectory)
    {
        switch (language)
        {
            case "en":
                yield return AsteriskPrompts.FromUnpacked(unpacked, "en");
                yield return AmazonQueenDialogue.FromUnpacked(unpacked);
                yield return SteelSkyDialogue.FromUnpacked(unpacked, Path.Combine(unpacked, "scummvm/usr/games/scummvm"));
                if (fsddDirectory is not null)
                {
                    if (!Directory.Exists(fsddDirectory)) throw new DgToolsException("FSDD directory not found", fsddDirectory);
                    yield return new SpokenDigits(fsddDirectory);
                }
                break;
            case "es":
                yield return AsteriskPrompts.FromUnpacked(unpacked, "es");
                yield return TuxPaintDescriptions.FromUnpacked(unpacked, "es");
                break;
            case "nl":
                yield return FishFilletsDialogue.FromUnpacked(unpacked, "nl");
                break;
            default:
                throw new DgToolsException($"no real-speech sources for language '{language}' (en, es, nl)");
        }
    }
}
