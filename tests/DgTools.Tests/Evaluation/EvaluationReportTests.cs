using DgTools.Evaluation;
using DgTools.Model;
using Xunit;

namespace DgTools.Tests.Evaluation;

public class EvaluationReportTests
{
    private static readonly (string Id, string Reference, double Seconds)[] References =
    [
        ("u1", "please call zorblax today", 2.0),
        ("u2", "zorblax and quuxify are new words", 3.0),
        ("u3", "the office is closed", 1.5),
        ("u4", "call zorblax", 1.0),
    ];

    private static readonly string[] GeneralHypotheses =
        ["please call sore blacks today", "sore black and quick sify are new words", "the office is close", "call zor blax"];

    private static readonly string[] TrainedHypotheses =
        ["please call zorblax today", "zorblax and quuxify are new words", "the office is closed", "all zorblax"];

    internal static ModelHypotheses Model(string path, string[] hypotheses, double seconds, string[] added, IReadOnlyList<HistoryPoint>? history = null) =>
        new(path, References.Select((r, i) => new UtteranceHypothesis(r.Id, r.Reference, hypotheses[i], r.Seconds)).ToList(), seconds, added, history);

    internal static EvaluationReport Example() => EvaluationReport.Compute(
    [
        Model("models/general.dg", GeneralHypotheses, 0.75, []),
        Model("models/general.last.dg", TrainedHypotheses, 1.5, ["zorblax", "quuxify", "gizmo"],
            [new HistoryPoint(1000, 2.5, 0.4, 0.7), new HistoryPoint(2000, 1.5, 0.8, 0.68)]),
    ]);

    [Fact]
    public void Numbers_equal_the_wer_modules_on_the_same_pairs()
    {
        var report = Example();

        foreach (var (model, hypotheses) in report.Models.Zip([GeneralHypotheses, TrainedHypotheses]))
        {
            var pairs = References.Select((r, i) => (r.Reference, hypotheses[i])).ToList();
            var words = WordErrorRate.ScoreWords(pairs);
            var chars = WordErrorRate.ScoreCharacters(pairs);
            Assert.Equal(words, model.Words);
            Assert.Equal(chars, model.Characters);
            Assert.Equal(words.Rate, model.Wer);
            Assert.Equal(chars.Rate, model.Cer);
        }
        Assert.Equal(4, report.UtteranceCount);
        Assert.Equal(0.75 / 7.5, report.Models[0].Rtf, 9);
    }

    [Fact]
    public void Added_word_recall_counts_exact_recognitions_of_the_union_of_added_words()
    {
        var report = Example();

        Assert.Equal(["gizmo", "quuxify", "zorblax"], report.AddedWords);
        // zorblax occurs 3 times, quuxify once; gizmo never.
        Assert.Equal(0.0, report.Models[0].AddedWordsRecall);
        Assert.Equal(1.0, report.Models[1].AddedWordsRecall);
        Assert.Equal((3, 3), report.Models[1].AddedWordRecall["zorblax"]);
        Assert.False(report.Models[1].AddedWordRecall.ContainsKey("gizmo"));

        var none = EvaluationReport.Compute([Model("a.dg", TrainedHypotheses, 1, [])]);
        Assert.Null(none.Models[0].AddedWordsRecall);
    }

    [Fact]
    public void Json_matches_the_golden_file()
    {
        var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evaluation", "evaluate-report.json"));
        Assert.Equal(golden.TrimEnd('\n'), Example().ToJson());
    }

    [Fact]
    public void Table_puts_models_side_by_side()
    {
        var table = Example().ToTable();
        var lines = table.Split('\n');
        Assert.Contains("general.dg", lines[0]);
        Assert.Contains("general.last.dg", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Added-word recall") && l.Contains("0.0 %") && l.Contains("100.0 %"));
        Assert.Contains("4 utterances; 3 added words: gizmo, quuxify, zorblax", table);
    }

    [Fact]
    public void Refuses_models_evaluated_on_different_utterances()
    {
        var other = new ModelHypotheses("b.dg", [new UtteranceHypothesis("x", "a", "a", 1)], 1, []);
        Assert.Throws<ArgumentException>(() => EvaluationReport.Compute([Model("a.dg", TrainedHypotheses, 1, []), other]));
    }
}
