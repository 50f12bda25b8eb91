// Which speakers the real-speech development set holds out. Held out BY SPEAKER: every clip of a listed speaker goes
// to heldout/, none to training, so the development set measures transfer to voices the model never heard.
using DgTools.RealSpeech.Queen;

namespace DgTools.RealSpeech.Corpus;

public sealed record DevSplit(IReadOnlyDictionary<string, IReadOnlySet<string>> SpeakersBySource)
{
    public bool IsHeldOut(string source, string speaker) =>
        SpeakersBySource.TryGetValue(source, out var speakers) && speakers.Contains(speaker);

    public static DevSplit None { get; } = new(new Dictionary<string, IReadOnlySet<string>>());

    /// <summary>The split each language's corpus is built with (docs/real-speech.md explains the choices).</summary>
    public static DevSplit For(string language) => language switch
    {
        // Three FOTAQ characters (two male, one female), not Joe (half of all lines), with every character their voice
        // artists also speak (QueenCast, from the game's credits: Bud, John, Chef, Anderson, Henry, Secretary, ...);
        // one FSDD speaker.
        "en" => Of(("fotaq", QueenCast.SharingAVoiceWith("FRANK", "KLUNK", "NAOMI")), ("fsdd", ["george"])),
        // Only the two fish are voiced in Dutch (font_small, font_big: the subtitle font names the speaker); the small
        // fish is held out, so training hears one real Dutch voice.
        "nl" => Of(("fillets", ["font_small"])),
        // Two sources of one voice each: the Tux Paint narrator is held out, the Asterisk voice trained on.
        "es" => Of(("tuxpaint", ["tuxpaint-es"])),
        _ => None,
    };

    public static DevSplit Of(params (string Source, string[] Speakers)[] entries) =>
        new(entries.ToDictionary(e => e.Source, e => (IReadOnlySet<string>)new HashSet<string>(e.Speakers, StringComparer.Ordinal)));
}
