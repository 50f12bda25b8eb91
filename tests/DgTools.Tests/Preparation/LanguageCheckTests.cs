// LanguageCheck on the bundled models' vocabularies and the bundled demo data (English, full of drug names the
// models have never seen): the English model's check passes, every other language's fails. The thresholds' margins
// over more data (real speech, FSDD, the general corpora) are in docs/reliability.md.
using DgTools.Data;
using DgTools.Language;
using DgTools.Model;
using DgTools.Preparation;
using DgTools.Reporting;
using DgTools.Tests.TestSupport;
using DgTools.Text;
using Xunit;

namespace DgTools.Tests.Preparation;

public class LanguageCheckTests
{
    private static readonly string Pharmacy = Path.Combine(RepoPaths.Root, "demo", "dgdatasets", "pharmacy");

    private static Lexicon LexiconOf(string language) =>
        ModelLexicon.Read(ModelFile.Read(Path.Combine(RepoPaths.Root, "models", $"general-{language}.dg"), ModelArchitecture.ExpectedShapes))!;

    [Theory]
    [InlineData("en", true)]
    [InlineData("es", false)]
    [InlineData("nl", false)]
    [InlineData("ko", false)]
    public void English_domain_data_full_of_new_words_matches_only_the_English_model(string model, bool matches)
    {
        using var dir = new TempDirectory();
        var discovery = new DatasetDiscovery(new ResourceDirectory(dir.Path), "en", new RecordingReporter()).Discover(Pharmacy);
        var options = new LanguageCheckOptions();
        var lexicon = LexiconOf(model);
        var evidence = LanguageCheck.Measure(discovery, lexicon, TextNormalizer.For(model), options);

        Assert.Equal(787, evidence.RunningWords);
        Assert.True(matches == LanguageCheck.Matches(evidence, lexicon, options), evidence.Describe(options));
        // The margins: the English model well above the threshold though a fifth of the words are new to it.
        if (model == "en") Assert.InRange(evidence.CommonShare, 0.5, 0.7);
        else Assert.InRange(evidence.CommonShare, 0, 0.15);
    }

    [Fact]
    public void Another_script_fails_on_its_letters_and_too_little_text_or_vocabulary_passes()
    {
        var lexicon = Lexicon.FromTranscripts(Enumerable.Range(0, 1200).Select(i => $"w{(char)('a' + i % 26)}{(char)('a' + i / 26 % 26)}{(char)('a' + i / 676)}"));
        var options = new LanguageCheckOptions();
        LanguageEvidence E(int running, int common, int letters, int dropped) => new("en", running, common, common, letters, dropped);

        Assert.False(LanguageCheck.Matches(E(100, 100, 300, 100), lexicon, options));   // 25 % of the letters unwritable
        Assert.True(LanguageCheck.Matches(E(100, 100, 300, 50), lexicon, options));     // 14 %: a few foreign names
        Assert.False(LanguageCheck.Matches(E(100, 24, 400, 0), lexicon, options));
        Assert.True(LanguageCheck.Matches(E(100, 25, 400, 0), lexicon, options));
        Assert.True(LanguageCheck.Matches(E(19, 0, 80, 0), lexicon, options));          // too few words to tell
        Assert.True(LanguageCheck.Matches(E(100, 0, 400, 0), Lexicon.FromTranscripts(["one two three"]), options));
    }
}
