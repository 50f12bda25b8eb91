namespace DgTools;

/// <summary>The languages dgtools trains, in the order `listlang` prints them.</summary>
public static class Languages
{
    public static readonly IReadOnlyList<string> Supported = ["en", "es", "nl", "ko"];

    public static bool IsSupported(string code) => Supported.Contains(code);
}
