// Fish Fillets NG's voiced dialogue in one language: sound/<level>/<lang>/<id>.ogg from fillets-ng-data-<lang>, text
// from script/<level>/dialogs_<lang>.lua in fillets-ng-data: dialogId("<id>", "<font>", "<English>") followed by
// dialogStr("<translation>"). The font names the speaker (font_small, font_big, font_statue, ...).
using System.Text.RegularExpressions;

namespace DgTools.RealSpeech.Sources;

public sealed partial class FishFilletsDialogue(string language, string scriptRoot, string soundRoot, string licenseFile) : ISpeechSource
{
    public string Name => "fillets";

    public string LicenseText => File.ReadAllText(licenseFile);

    public static FishFilletsDialogue FromUnpacked(string unpacked, string language)
    {
        var data = Path.Combine(unpacked, "fillets-ng-data/usr/share/games/fillets-ng");
        var voices = Path.Combine(unpacked, $"fillets-ng-data-{language}/usr/share/games/fillets-ng");
        if (!Directory.Exists(Path.Combine(data, "script")) || !Directory.Exists(Path.Combine(voices, "sound")))
            throw new DgToolsException($"fillets-ng-data and fillets-ng-data-{language} are not unpacked", unpacked);
        var license = Path.Combine(unpacked, $"fillets-ng-data-{language}/usr/share/doc/fillets-ng-data-{language}/copyright");
        return new FishFilletsDialogue(language, Path.Combine(data, "script"), Path.Combine(voices, "sound"), license);
    }

    public IEnumerable<SpeechClip> Clips()
    {
        foreach (var script in Directory.EnumerateFiles(scriptRoot, $"dialogs_{language}.lua", SearchOption.AllDirectories)
                     .Order(StringComparer.Ordinal))
        {
            var level = Path.GetFileName(Path.GetDirectoryName(script)!);
            foreach (var (id, font, text) in ReadDialogs(File.ReadAllText(script)))
            {
                var ogg = Path.Combine(soundRoot, level, language, id + ".ogg");
                if (!File.Exists(ogg)) continue;
                yield return new SpeechClip(Name, $"{level}-{id}", font, text, () => ClipAudio.FromEncoded(File.ReadAllBytes(ogg)));
            }
        }
    }

    /// <summary>Each dialogId(...) with the dialogStr(...) that follows it; Lua escapes (\" \\ \n) are undone.</summary>
    public static IEnumerable<(string Id, string Font, string Text)> ReadDialogs(string lua)
    {
        foreach (Match m in DialogPair().Matches(lua))
            yield return (m.Groups["id"].Value, m.Groups["font"].Value, Unescape(m.Groups["text"].Value));
    }

    private static string Unescape(string s) => LuaEscape().Replace(s, m => m.Value[1] switch
    {
        'n' => " ",
        't' => " ",
        _ => m.Value[1].ToString(),
    });

    [GeneratedRegex("""dialogId\(\s*"(?<id>[^"]+)"\s*,\s*"(?<font>[^"]*)"(?:\s*,\s*"(?:[^"\\]|\\.)*")?\s*\)\s*dialogStr\(\s*"(?<text>(?:[^"\\]|\\.)*)"\s*\)""")]
    private static partial Regex DialogPair();

    [GeneratedRegex(@"\\.")]
    private static partial Regex LuaEscape();
}
