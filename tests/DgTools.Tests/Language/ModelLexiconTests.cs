using DgTools.Decoding;
using DgTools.Language;
using DgTools.Model;
using DgTools.Tests.Decoding;
using Xunit;

namespace DgTools.Tests.Language;

public class ModelLexiconTests
{
    private static DgModel Untrained() => new(
        new ModelMetadata { Units = SyntheticPosteriors.English.All, Architecture = new ModelConfig { NumUnits = SyntheticPosteriors.English.Count } },
        new Dictionary<string, TensorData>(), new Dictionary<string, string>());

    [Fact]
    public void Autotrain_update_adds_words_records_them_and_survives_the_model_file()
    {
        var general = ModelLexicon.With(Untrained(), Lexicon.FromTranscripts(["call the office", "the office is closed"]));

        var first = ModelLexicon.AddTranscripts(general, ["call zorblax pharmacy", "zorblax refills"]);
        var second = ModelLexicon.AddTranscripts(first.Model, ["ask zorblax about quuxify"]);

        Assert.Equal(["zorblax", "pharmacy", "refills"], first.AddedWords);
        Assert.Equal("Added 3 new vocabulary words: zorblax, pharmacy, refills", first.Message);
        Assert.Equal(["ask", "about", "quuxify"], second.AddedWords);
        Assert.Equal(["zorblax", "pharmacy", "refills", "ask", "about", "quuxify"], second.Model.Metadata.AddedWords);

        var path = Path.Combine(Path.GetTempPath(), $"dgtools-lexicon-{Guid.NewGuid():N}.dg");
        try
        {
            ModelFile.Write(path, second.Model);
            var read = ModelFile.Read(path);
            var lexicon = ModelLexicon.Read(read, path)!;
            Assert.Equal(3, lexicon.CountOf("zorblax"));
            Assert.True(lexicon.Contains("office"));
            Assert.Equal(second.Model.Metadata.AddedWords, read.Metadata.AddedWords);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Count_merging_gives_the_transcripts_the_chosen_share_of_the_counts()
    {
        // 8 general sentences of 4 tokens (3 words + sentence end) = 32 tokens; the domain text has 4 tokens.
        var general = ModelLexicon.With(Untrained(), Lexicon.FromTranscripts(Enumerable.Repeat("call the office", 8)));
        var merged = ModelLexicon.AddTranscripts(general, ["refill my metoprolol"], share: 0.5);

        Assert.Equal(8, merged.Weight);                      // 0.5 / 0.5 · 32 / 4
        var lexicon = ModelLexicon.Read(merged.Model)!;
        Assert.Equal(8, lexicon.CountOf("metoprolol"));
        Assert.Equal(64, lexicon.TokenCount);                // half of it the domain text's
        var lm = new WordLanguageModel(lexicon);
        var plain = new WordLanguageModel(ModelLexicon.Read(ModelLexicon.AddTranscripts(general, ["refill my metoprolol"]).Model)!);
        var refill = lexicon.IdOf("refill");
        Assert.True(lm.LogProb(LmState.Start, refill) > plain.LogProb(LmState.Start, refill) + 1.0);
    }

    [Fact]
    public void A_second_round_keeps_the_general_counts_and_gives_all_transcripts_the_share()
    {
        // 8 general sentences of 4 tokens = 32 general tokens.
        var general = ModelLexicon.With(Untrained(), Lexicon.FromTranscripts(Enumerable.Repeat("call the office", 8)));
        var first = ModelLexicon.AddTranscripts(general, ["refill my metoprolol"], share: 0.5);      // 4 tokens: weight 8
        var second = ModelLexicon.AddTranscripts(first.Model, ["call my metoprolol", "refill the office"], share: 0.5);

        // All the transcripts (12 tokens) against the 32 general ones: weight round(32 / 12) = 3, not a weight for the
        // second round's 8 tokens against counts the first round already inflated.
        Assert.Equal(3, second.Weight);
        var lexicon = ModelLexicon.Read(second.Model)!;
        Assert.Equal(3, lexicon.DomainWeight);
        Assert.Equal(8 + 3 * 1, lexicon.CountOf("office"));             // general 8 + the transcripts' 1 occurrence × 3
        Assert.Equal(3 * 2, lexicon.CountOf("metoprolol"));
        Assert.Equal(32 + 3 * 12, lexicon.TokenCount);
    }

    [Fact]
    public void The_domain_layer_survives_the_model_file_and_a_plain_share_adds_none()
    {
        var general = ModelLexicon.With(Untrained(), Lexicon.FromTranscripts(Enumerable.Repeat("call the office", 8)));
        var merged = ModelLexicon.AddTranscripts(general, ["refill my metoprolol daily", "metoprolol daily"], share: 0.5);
        var path = Path.Combine(Path.GetTempPath(), $"dgtools-domain-{Guid.NewGuid():N}.dg");
        try
        {
            ModelFile.Write(path, merged.Model);
            var read = ModelLexicon.Read(ModelFile.Read(path), path)!;
            var before = new WordLanguageModel(ModelLexicon.Read(merged.Model)!);
            var after = new WordLanguageModel(read);
            Assert.Equal(merged.Weight, read.DomainWeight);
            var state = new LmState(-1, after.IdOf("metoprolol"));
            Assert.Equal(before.LogProb(state, before.IdOf("office")), after.LogProb(state, after.IdOf("office")), 6);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(1, ModelLexicon.Read(ModelLexicon.AddTranscripts(general, ["refill my metoprolol"], share: 0).Model)!.DomainWeight);
    }

    [Theory]
    [InlineData(0, 1000, 0.5, 1)]       // an empty lexicon: plain counts
    [InlineData(1000, 10, 0.0, 1)]
    [InlineData(1000, 10, 0.5, 100)]
    [InlineData(1000, 10, 0.75, 300)]
    [InlineData(10, 1000, 0.5, 1)]       // the transcripts already outweigh the lexicon
    public void Merge_weight(long existing, long added, double share, long expected)
    {
        Assert.Equal(expected, Lexicon.MergeWeight(existing, added, share));
    }

    [Fact]
    public void Merge_weight_refuses_a_share_of_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Lexicon.MergeWeight(10, 10, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Lexicon.MergeWeight(10, 10, -0.1));
    }

    [Fact]
    public void A_model_without_a_lexicon_decodes_greedily_known_words_and_uses_the_stored_options()
    {
        var bare = Untrained();
        Assert.Null(ModelLexicon.Read(bare));
        var p = new SyntheticPosteriors().Say("please c").Confuse("o", 0.55, "a", 0.4).Say("ll").Build();
        Assert.Equal("please coll", ModelDecoding.CreateDecoder(bare).Decode(p).Text);

        var withLm = ModelLexicon.With(bare, Lexicon.FromTranscripts(["please call", "please call me"]));
        Assert.Equal("please call", ModelDecoding.CreateDecoder(withLm).Decode(p).Text);

        var greedyStored = ModelDecoding.WithOptions(withLm, DecodingOptions.Default with { Greedy = true });
        Assert.True(ModelDecoding.ReadOptions(greedyStored).Greedy);
        Assert.Equal("please coll", ModelDecoding.CreateDecoder(greedyStored).Decode(p).Text);
    }

    [Fact]
    public void A_general_lexicon_comes_from_normalised_text()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dgtools-text-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllLines(path, ["Call the Office!", "", "The office opens at 9."]);
            var lexicon = ModelLexicon.FromTextFile(path, "en");
            Assert.Equal(2, lexicon.CountOf("office"));
            Assert.True(lexicon.Contains("nine"));
            Assert.False(lexicon.Contains("Office!"));
            Assert.Equal(2, lexicon.CountOf(Lexicon.SentenceStart));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<DatasetError>(() => ModelLexicon.FromTextFile(path, "en"));
    }
}
