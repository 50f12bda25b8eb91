// Who is who in Flight of the Amazon Queen: the character names our data sets use (the .DOG dialogue files' names:
// BOB, PRIN, SEC, ...), how the game's actor names map onto them (PRINCESS1, AZURA-H, X4_JOE, ...), and which voice
// artist speaks each character. The voices are the game's own credits (queen.1c, CREDIT2.CRD, "Voice Artists"); the
// real-speech development set holds out by VOICE, so every character of a held-out artist is held out with them.
namespace DgTools.RealSpeech.Queen;

public static class QueenCast
{
    /// <summary>Character -> voice artists, from the credits (Klunk, Rico and Lola are credited to two artists each;
    /// the two prisoners MAN1 and MAN2 are "Prisoner with Puppet" and "Spaced out Prisoner", not said which is which,
    /// so MAN carries both artists). LARIS and TALLPYG speak in dialogue files but are not in the credits.</summary>
    public static IReadOnlyDictionary<string, string[]> Voices { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["JOE"] = ["Brad Lavelle"],
        ["SPARKY"] = ["Tom Hill"], ["JIM"] = ["Tom Hill"], ["APE"] = ["Tom Hill"], ["LOU"] = ["Tom Hill"],
        ["WEDGE"] = ["Tom Hill"], ["DOG"] = ["Tom Hill"], ["EDDY"] = ["Tom Hill"], ["RICO"] = ["Tom Hill", "Enn Reitel"],
        ["MAN"] = ["Tom Hill", "Bill Hootkins"],
        ["FRANK"] = ["Bill Hootkins"], ["MIKE"] = ["Bill Hootkins"], ["BUD"] = ["Bill Hootkins"],
        ["JOHN"] = ["Bill Hootkins"], ["CHEF"] = ["Bill Hootkins"],
        ["AND"] = ["Enn Reitel"], ["KLUNK"] = ["Enn Reitel", "Mike Hurley"], ["HENRY"] = ["Enn Reitel"], ["DEATH"] = ["Enn Reitel"],
        ["ORACLE"] = ["Penelope Keith"],
        ["BOB"] = ["Jon Coleman"],
        ["PRIN"] = ["Debbie Arnold"], ["LOLA"] = ["Debbie Arnold", "Regina Reagan"], ["AMGUARD"] = ["Debbie Arnold"],
        ["SHOWERAM"] = ["Debbie Arnold"],
        ["IAN"] = ["Barry James"], ["CHIEF"] = ["Barry James"],
        ["FAYE"] = ["Lisa Valdez"], ["RITA"] = ["Lisa Valdez"],
        ["NAOMI"] = ["Jessica Martin"], ["SEC"] = ["Jessica Martin"], ["ZOMBIE"] = ["Jessica Martin"],
        ["TAM"] = ["Regina Reagan"], ["WITCH"] = ["Regina Reagan"],
        ["HUGH"] = ["Mike Hurley"],
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["ANDERSON"] = "AND", ["ANDSON"] = "AND", ["JIMMY"] = "JIM", ["JOHAN"] = "JOHN", ["LOLA_SHOWER"] = "LOLA",
        ["PRINCESS"] = "PRIN", ["AZURA"] = "PRIN", ["SECRETARY"] = "SEC", ["TAMMY"] = "TAM", ["WEDGEWOOD"] = "WEDGE",
    };

    /// <summary>The character an actor name of the game stands for ("X4_JOE" -> JOE, "PRINCESS1" -> PRIN, "FAYE-H" ->
    /// FAYE), or null when it is no credited character ("SKULL", "GUARDS", "TMPD").</summary>
    public static string? CharacterOf(string actorName)
    {
        var name = actorName.Trim().ToUpperInvariant();
        int underscore = name.IndexOf('_');
        if (name.StartsWith('X') && underscore > 1 && name[1..underscore].All(char.IsAsciiDigit)) name = name[(underscore + 1)..];
        if (name.Length > 2 && name[^2] == '-') name = name[..^2];
        if (Aliases.TryGetValue(name, out var alias)) return alias;
        name = name.TrimEnd("0123456789".ToCharArray());
        if (Aliases.TryGetValue(name, out alias)) return alias;
        return Voices.ContainsKey(name) ? name : null;
    }

    /// <summary>The one character a set of candidate actor names stands for, or null if none or several.</summary>
    public static string? CharacterOf(IEnumerable<string> actorNames)
    {
        var characters = actorNames.Select(CharacterOf).Distinct().ToList();
        return characters.Count == 1 ? characters[0] : null;
    }

    /// <summary>The given characters and every character that shares a voice artist with one of them.</summary>
    public static string[] SharingAVoiceWith(params string[] characters)
    {
        var artists = characters.SelectMany(c => Voices.TryGetValue(c, out var v) ? v : []).ToHashSet(StringComparer.Ordinal);
        return characters.Concat(Voices.Where(kv => kv.Value.Any(artists.Contains)).Select(kv => kv.Key))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }
}
