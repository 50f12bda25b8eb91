// The sources each language's real-speech corpus is built from, found in the directory where build.sh unpacked the
// Debian packages (one folder per package). Only the sources asked for are opened, so a build of one source needs only
// its own packages unpacked.
namespace DgTools.RealSpeech.Sources;

public static class SourceCatalog
{
    /// <param name="wanted">Source names to open (asterisk, fotaq, bass, fsdd, tuxpaint, fillets); null for all.
    /// "fotaq-extra" opens FOTAQ's cutscene and description speech only (built as source fotaq): what a corpus built
    /// before those were read lacks.</param>
    /// <param name="report">Where a source reports what it read and left (one line).</param>
    public static IEnumerable<ISpeechSource> For(string language, string unpacked, string? fsddDirectory, IReadOnlySet<string>? wanted = null,
        Action<string>? report = null)
    {
        bool Want(string name) => wanted is null || wanted.Contains(name);
        switch (language)
        {
            case "en":
                if (Want("asterisk")) yield return AsteriskPrompts.FromUnpacked(unpacked, "en");
                if (Want("fotaq")) yield return AmazonQueenSpeech.FromUnpacked(unpacked, QueenSpeechKinds.All, report);
                else if (wanted?.Contains("fotaq-extra") == true)
                    yield return AmazonQueenSpeech.FromUnpacked(unpacked, QueenSpeechKinds.Cutscenes | QueenSpeechKinds.Descriptions, report);
                if (Want("bass")) yield return SteelSkyDialogue.FromUnpacked(unpacked, Path.Combine(unpacked, "scummvm/usr/games/scummvm"));
                if (fsddDirectory is not null && Want("fsdd"))
                {
                    if (!Directory.Exists(fsddDirectory)) throw new DgToolsException("FSDD directory not found", fsddDirectory);
                    yield return new SpokenDigits(fsddDirectory);
                }
                break;
            case "es":
                if (Want("asterisk")) yield return AsteriskPrompts.FromUnpacked(unpacked, "es");
                if (Want("tuxpaint")) yield return TuxPaintDescriptions.FromUnpacked(unpacked, "es");
                break;
            case "nl":
                if (Want("fillets")) yield return FishFilletsDialogue.FromUnpacked(unpacked, "nl");
                break;
            default:
                throw new DgToolsException($"no real-speech sources for language '{language}' (en, es, nl)");
        }
    }
}
