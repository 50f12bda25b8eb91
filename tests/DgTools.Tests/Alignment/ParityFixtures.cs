// Reads tests/DgTools.Tests/Fixtures/Alignment/parity.json: saved posteriors and the state paths the PyTorch reference
using DgTools.Decoding;
using Xunit;
// aligner (bench/alignment/reference_align.py make-fixtures) found for them.
using System.Text.Json;
using DgTools.Alignment;

namespace DgTools.Tests.Alignment;

internal sealed record ParityCase(string Name, CtcPosteriors Posteriors, IReadOnlyList<AlignmentWord> Words,
    int? Separator, IReadOnlyList<(double? GarbagePenalty, int[] Path)> References);

internal static class ParityFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Alignment");

    public static IReadOnlyList<ParityCase> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "parity.json")));
        var root = doc.RootElement;
        Assert.Equal("dgtools-alignment-parity", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        var cases = new List<ParityCase>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var posteriors = CtcPosteriors.ReadFloat32(Path.Combine(Directory, c.GetProperty("posteriors").GetString()!),
                c.GetProperty("units").GetInt32(), c.GetProperty("frame_seconds").GetDouble());
            Assert.Equal(c.GetProperty("frames").GetInt32(), posteriors.Frames);
            var words = c.GetProperty("words").EnumerateArray()
                .Select(w => new AlignmentWord(w.GetProperty("text").GetString()!,
                    w.GetProperty("units").EnumerateArray().Select(u => u.GetInt32()).ToArray()))
                .ToList();
            var references = c.GetProperty("references").EnumerateArray()
                .Select(r => (
                    r.GetProperty("garbage_penalty").ValueKind == JsonValueKind.Null
                        ? (double?)null
                        : r.GetProperty("garbage_penalty").GetDouble(),
                    r.GetProperty("path").EnumerateArray().Select(s => s.GetInt32()).ToArray()))
                .ToList();
            var separator = c.GetProperty("separator").ValueKind == JsonValueKind.Null ? (int?)null : c.GetProperty("separator").GetInt32();
            cases.Add(new ParityCase(c.GetProperty("name").GetString()!, posteriors, words, separator, references));
        }
        return cases;
    }
}
