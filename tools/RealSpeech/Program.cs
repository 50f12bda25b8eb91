// realspeech: extracts the real recorded speech of Debian packages (unpacked by scripts/real-speech/build.sh) into
// dgtools data sets. Thin: parses arguments, picks the sources of a language, hands over to CorpusBuilder; errors are
// caught here once and printed as one line.
//   realspeech build LANG --unpacked DIR --out DIR [--fsdd DIR] [--sources a,b] [--threads N]
using DgTools;
using DgTools.RealSpeech.Corpus;
using DgTools.RealSpeech.Sources;

const string Usage = "usage: realspeech build LANG --unpacked DIR --out DIR [--fsdd DIR] [--sources a,b,...] [--threads N]\n" +
                     "  LANG: en (asterisk, fotaq, bass, fsdd; fotaq-extra: FOTAQ's cutscenes and descriptions only), es (asterisk, tuxpaint), nl (fillets)";
try
{
    if (args.Length < 2 || args[0] != "build") { Console.Error.WriteLine(Usage); return 2; }
    var language = args[1];
    var flags = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 2; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--") || i + 1 >= args.Length) { Console.Error.WriteLine($"error: bad argument '{args[i]}'\n{Usage}"); return 2; }
        flags[args[i][2..]] = args[++i];
    }
    if (!flags.TryGetValue("unpacked", out var unpacked) || !flags.TryGetValue("out", out var output))
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }
    int threads = 1;
    if (flags.TryGetValue("threads", out var t) && (!int.TryParse(t, out threads) || threads < 1))
    {
        Console.Error.WriteLine($"error: --threads must be a positive whole number, not '{t}'");
        return 2;
    }
    var known = new HashSet<string> { "unpacked", "out", "fsdd", "sources", "threads" };
    if (flags.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
    {
        Console.Error.WriteLine($"error: unknown option --{unknown}\n{Usage}");
        return 2;
    }
    var wanted = flags.TryGetValue("sources", out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() : null;

    var sources = SourceCatalog.For(language, unpacked, flags.GetValueOrDefault("fsdd"), wanted, Console.WriteLine).ToList();
    if (sources.Count == 0) { Console.Error.WriteLine($"error: no sources for '{language}' (or none matched --sources)"); return 2; }

    var builder = new CorpusBuilder(new BuildOptions(language, Path.GetFullPath(output), DevSplit.For(language), threads),
        line => Console.WriteLine(line));
    builder.Build(sources);
    return 0;
}
catch (DgToolsException e)
{
    Console.Error.WriteLine($"error: {e.OneLine}");
    return 1;
}
