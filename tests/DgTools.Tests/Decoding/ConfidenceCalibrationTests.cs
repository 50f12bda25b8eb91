using DgTools.Decoding;
using DgTools.Evaluation;
using DgTools.Language;
using DgTools.Model;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Decoding;

public class ConfidenceCalibrationTests
{
    /// <summary>Words whose chance of being right is a known function of their evidence: over-confident acoustics
    /// (right with probability acoustic²), unknown words right <paramref name="unknown"/> times as often.</summary>
    private static List<(WordEvidence, bool)> Words(int count, int seed, double unknown = 0.5)
    {
        var rng = new Random(seed);
        var words = new List<(WordEvidence, bool)>();
        for (int i = 0; i < count; i++)
        {
            double acoustic = 0.3 + 0.7 * rng.NextDouble();
            bool known = rng.NextDouble() < 0.7;
            double p = acoustic * acoustic * (known ? 1 : unknown);
            var evidence = new WordEvidence(acoustic, acoustic * 0.9, 1, known, 1 + rng.Next(8), 2, acoustic, 0.8, known ? 10 : 0);
            words.Add((evidence, rng.NextDouble() < p));
        }
        return words;
    }

    private static ConfidenceMeasures Measure(IEnumerable<(WordEvidence E, bool R)> words, Func<WordEvidence, double> confidence) =>
        ConfidenceMeasures.Compute([(words.Select(w => new JudgedWord(confidence(w.E), w.R)).ToList(), 1.0)]);

    [Fact]
    public void A_fitted_map_is_calibrated_on_words_it_did_not_see_and_ranks_better_than_the_acoustics()
    {
        var map = ConfidenceCalibration.FitTo(Words(3000, 1), ConfidenceCalibration.Beam, "synthetic", 300);
        var heldOut = Words(3000, 2);
        var raw = Measure(heldOut, e => e.Acoustic);
        var calibrated = Measure(heldOut, map.Probability);
        Assert.True(raw.Ece > 0.15, $"the acoustics should be over-confident: ECE {raw.Ece:0.000}");
        Assert.True(calibrated.Ece < 0.04, $"calibrated ECE {calibrated.Ece:0.000}");
        Assert.True(calibrated.Auroc > raw.Auroc + 0.03, $"AUROC {raw.Auroc:0.000} → {calibrated.Auroc:0.000}");
        Assert.Equal(3000, map.Fit.Words);
    }

    [Fact]
    public void The_map_round_trips_through_its_model_section_and_old_models_have_none()
    {
        var map = ConfidenceCalibration.FitTo(Words(500, 3), ConfidenceCalibration.Beam, "synthetic", 50);
        using var dir = new TempDirectory();
        var plain = FormatSamples.TinyConformer(trainable: true, deployable: false);
        Assert.Null(ModelDecoding.ReadCalibration(plain));

        ModelFile.Write(dir.Combine("m.dg"), ModelDecoding.WithCalibration(plain, map));
        var read = ModelDecoding.ReadCalibration(ModelFile.Read(dir.Combine("m.dg")))!;
        Assert.Equal(map.Weights, read.Weights);
        Assert.Equal((map.Bias, map.Decoding, map.Fit), (read.Bias, read.Decoding, read.Fit));
        var e = Words(1, 4)[0].Item1;
        Assert.Equal(map.Probability(e), read.Probability(e));
    }

    [Theory]
    [InlineData("\"version\":1", "\"version\":2", "is version 2")]
    [InlineData("\"log_units\"", "\"syllables\"", "uses features")]
    [InlineData("\"decoding\":\"beam\"", "\"decoding\":\"viterbi\"", "for decoding 'viterbi'")]
    public void A_section_this_version_cannot_use_is_refused_with_a_clear_message(string from, string to, string message)
    {
        var json = ConfidenceCalibration.FitTo(Words(200, 5), ConfidenceCalibration.Beam, "s", 20).ToJson();
        Assert.Contains(from, json);
        var error = Assert.Throws<ModelFileError>(() => ConfidenceCalibration.FromJson(json.Replace(from, to), "m.dg"));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_map_applies_only_to_the_decoding_it_was_fitted_for()
    {
        var map = ConfidenceCalibration.FitTo(Words(300, 6), ConfidenceCalibration.Beam, "s", 30);
        var units = SyntheticPosteriors.English;
        var lm = new WordLanguageModel(Lexicon.FromTranscripts(["the cat sat"]));
        var p = new SyntheticPosteriors().Say("the cat sat").Build();
        var beam = new CtcDecoder(units, lm, DecodingOptions.Default, map).Decode(p);
        var greedy = new CtcDecoder(units, null, new DecodingOptions { Greedy = true }, map);
        Assert.Null(greedy.Calibration);
        Assert.All(beam.Words, w => Assert.Equal(map.Probability(w.Evidence!), w.Confidence));
        Assert.Equal(beam.Words.Average(w => w.Confidence), beam.Confidence, 12);
        Assert.All(greedy.Decode(p).Words, w => Assert.Equal(w.Evidence!.Acoustic, w.Confidence));
    }

    [Fact]
    public void The_beam_gives_a_word_it_hesitated_over_a_smaller_share_of_its_hypotheses()
    {
        var lm = new WordLanguageModel(Lexicon.FromTranscripts(["the cat sat", "the cut sat", "the cat", "the cut"]));
        var p = new SyntheticPosteriors().Say("the c").Confuse("a", 0.5, "u", 0.45).Say("t sat").Build();
        var t = new CtcDecoder(SyntheticPosteriors.English, lm, DecodingOptions.Default).Decode(p);
        Assert.Equal(["the", "cat", "sat"], t.Words.Select(w => w.Word));
        var share = t.Words.Select(w => w.Evidence!.Hypotheses).ToList();
        Assert.InRange(share[1], 0.3, 0.8);
        Assert.True(share[0] > 0.95 && share[2] > 0.95, string.Join(", ", share));
        Assert.All(t.Words, w => Assert.True(w.Evidence!.InVocabulary));
    }

    [Fact]
    public void Hypotheses_share_words_by_longest_common_subsequence()
    {
        Assert.Equal([true, false, true, true], HypothesisPosteriors.MatchedWords(["a", "b", "c", "d"], ["a", "x", "c", "y", "d"]));
        Assert.Equal([false, false], HypothesisPosteriors.MatchedWords(["a", "b"], []));
        var p = HypothesisPosteriors.Of([0, Math.Log(3)]);
        Assert.Equal(0.25, p[0], 12);
        Assert.Equal(0.75, p[1], 12);
    }

    [Fact]
    public void A_map_stored_with_fewer_features_still_reads_and_uses_only_those()
    {
        var v1 = ConfidenceCalibration.FeatureNames.Take(9).ToList();
        var map = ConfidenceCalibration.FitTo(Words(400, 7), ConfidenceCalibration.Beam, "s", 40, features: v1);
        var read = ConfidenceCalibration.FromJson(map.ToJson(), "m.dg");
        Assert.Equal(v1, read.Features);
        var e = Words(1, 8)[0].Item1;
        // The features it does not use change nothing.
        Assert.Equal(read.Probability(e), read.Probability(e with { Agreement = 0.1, LanguageModel = -20 }), 12);
        Assert.Equal(map.Probability(e), read.Probability(e), 12);
    }

    private static double LogLoss(IEnumerable<(WordEvidence E, bool R)> words, ConfidenceCalibration map) =>
        words.Average(w => -Math.Log(Math.Clamp(w.R ? map.Probability(w.E) : 1 - map.Probability(w.E), 1e-9, 1)));

    [Fact]
    public void A_map_refitted_on_a_few_words_stays_near_the_starting_map_and_predicts_better_than_one_fitted_from_scratch()
    {
        var start = ConfidenceCalibration.FitTo(Words(3000, 1), ConfidenceCalibration.Beam, "many words", 300);
        var heldOut = Words(3000, 2);
        double scratch = 0, shrunk = 0;
        for (int seed = 10; seed < 20; seed++)   // ten small validation splits of 25 words
        {
            var few = Words(25, seed);
            scratch += LogLoss(heldOut, ConfidenceCalibration.FitTo(few, ConfidenceCalibration.Beam, "few", 5));
            shrunk += LogLoss(heldOut, ConfidenceCalibration.FitTo(few, ConfidenceCalibration.Beam, "few", 5, prior: new MapPrior(start, 100)));
        }
        double best = LogLoss(heldOut, start);
        Assert.True(shrunk < scratch - 0.5, $"held-out log-loss summed over ten fits: from scratch {scratch:0.000}, towards the starting map {shrunk:0.000}");
        Assert.InRange(shrunk / 10, best - 0.02, best + 0.03);
    }

    [Fact]
    public void The_starting_map_decides_for_a_few_words_and_fades_as_the_words_grow()
    {
        // The starting map learnt that unknown words are as often right as known ones; the new domain's words say
        // they are right a quarter as often.
        var start = ConfidenceCalibration.FitTo(Words(5000, 1, unknown: 1), ConfidenceCalibration.Beam, "start", 500);
        var e = Words(1, 3)[0].Item1 with { Acoustic = 0.9, WeakestUnit = 0.8, Neighbours = 0.9 };
        double Gap(ConfidenceCalibration m) => m.Probability(e with { InVocabulary = true, LexiconCount = 10 }) - m.Probability(e with { InVocabulary = false, LexiconCount = 0 });
        var prior = new MapPrior(start, 100);
        ConfidenceCalibration Fit(int words, MapPrior? p) => ConfidenceCalibration.FitTo(Words(words, 7, unknown: 0.25), ConfidenceCalibration.Beam, "new", words / 10, prior: p);
        double startGap = Gap(start), fewGap = Gap(Fit(30, prior)), manyGap = Gap(Fit(30000, prior)), truth = Gap(Fit(30000, null));
        Assert.InRange(startGap, -0.05, 0.05);
        Assert.InRange(truth, 0.45, 0.75);
        Assert.True(fewGap < truth / 3, $"30 words: gap {fewGap:0.000} (starting map {startGap:0.000}, the new words' own {truth:0.000})");
        Assert.True(Math.Abs(manyGap - truth) < 0.03, $"30,000 words: gap {manyGap:0.000}, their own {truth:0.000}");
    }

    [Fact]
    public void Autotrain_shrinks_towards_the_starting_models_map_only_when_it_has_one_for_the_same_decoding()
    {
        var plain = FormatSamples.TinyConformer(trainable: true, deployable: false);
        var beamMap = ConfidenceCalibration.FitTo(Words(300, 6), ConfidenceCalibration.Beam, "s", 30);
        var prior = ConfidenceCalibrator.PriorOf(ModelDecoding.WithCalibration(plain, beamMap), ConfidenceCalibration.Beam);
        Assert.Equal(beamMap.Weights, prior!.Map.Weights);
        Assert.Equal(ConfidenceCalibrator.StartingMapWords, prior.Words);
        Assert.Null(ConfidenceCalibrator.PriorOf(ModelDecoding.WithCalibration(plain, beamMap), ConfidenceCalibration.Greedy));
        Assert.Null(ConfidenceCalibrator.PriorOf(plain, ConfidenceCalibration.Beam));
    }

    [Fact]
    public void A_calibration_with_a_prior_fits_every_fold_towards_it()
    {
        var start = ConfidenceCalibration.FitTo(Words(3000, 1), ConfidenceCalibration.Beam, "start", 300);
        var utterances = Words(40, 13).Chunk(5)
            .Select(c => new JudgedUtterance(c.Select(w => (new WordTiming("w", 0, 1, w.Item1.Acoustic, w.Item1), w.Item2)).ToList(), 0)).ToList();
        double Distance(ConfidenceCalibration m) => m.Weights.Zip(start.Weights, (a, b) => (a - b) * (a - b)).Sum();
        var scratch = ConfidenceFitting.Fit(utterances, ConfidenceCalibration.Beam, "few");
        var shrunk = ConfidenceFitting.Fit(utterances, ConfidenceCalibration.Beam, "few", prior: new MapPrior(start, 100));
        Assert.True(Distance(shrunk.Map) < Distance(scratch.Map) / 4, $"{Distance(shrunk.Map):0.000} vs {Distance(scratch.Map):0.000}");
        var heldOut = Words(3000, 2);
        Assert.True(LogLoss(heldOut, shrunk.Map) < LogLoss(heldOut, scratch.Map));
    }

    [Fact]
    public void Balancing_gives_every_data_set_the_same_say_in_the_fit()
    {
        // The same evidence everywhere: an easy set (900 words, 90 % right) and a hard one (100 words, 30 % right).
        var e = new WordEvidence(0.8, 0.7, 1, true, 3);
        JudgedUtterance Utterance(string set, bool correct) =>
            new([(new WordTiming("w", 0, 1, 0.8, e), correct)], correct ? 1 : 0, set);
        var utterances = Enumerable.Range(0, 900).Select(i => Utterance("easy", i % 10 != 0))
            .Concat(Enumerable.Range(0, 100).Select(i => Utterance("hard", i % 10 < 3))).ToList();
        var weights = ConfidenceFitting.SetWeights(utterances);
        Assert.Equal(1000, weights.Sum(), 9);
        Assert.Equal(weights.Take(900).Sum(), weights.Skip(900).Sum(), 9);

        var byWords = ConfidenceFitting.Fit(utterances, ConfidenceCalibration.Beam, "s").Map.Probability(e);
        var balanced = ConfidenceFitting.Fit(utterances, ConfidenceCalibration.Beam, "s", balanceSets: true).Map.Probability(e);
        Assert.InRange(byWords, 0.82, 0.86);    // (810 + 30) / 1000
        Assert.InRange(balanced, 0.58, 0.62);   // (0.9 + 0.3) / 2
    }

    [Fact]
    public void A_word_the_acoustics_spell_differently_has_low_agreement()
    {
        var p = new SyntheticPosteriors().Say("the cat").Build();
        var greedy = new CtcDecoder(SyntheticPosteriors.English, null, new DecodingOptions { Greedy = true }).Decode(p);
        var overruled = greedy with { Words = [greedy.Words[0], greedy.Words[1] with { Word = "cot" }] };
        var judged = CtcAlignment.WithAgreement(overruled, p, SyntheticPosteriors.English).Words;
        Assert.Equal(1, judged[0].Evidence!.Agreement);
        Assert.Equal(2 / 3.0, judged[1].Evidence!.Agreement, 9);
        Assert.Equal(5 / 6.0, judged[0].Evidence!.UtteranceAgreement, 9);
        Assert.Equal(0.75, CtcAlignment.Similarity("Cats", "cat"), 9);   // one edit in four letters; case ignored
        Assert.Equal(1, CtcAlignment.Similarity("", ""));
    }

    [Fact]
    public void The_language_model_evidence_is_lower_for_a_word_its_text_never_had_there()
    {
        var lm = new WordLanguageModel(Lexicon.FromTranscripts(Enumerable.Repeat("the cat sat", 20).Append("a dog sat").Append("the dog")));
        var p = new SyntheticPosteriors().Say("the dog sat").Build();
        var t = new CtcDecoder(SyntheticPosteriors.English, lm, DecodingOptions.Default).Decode(p);
        Assert.Equal(["the", "dog", "sat"], t.Words.Select(w => w.Word));
        var lp = t.Words.Select(w => w.Evidence!.LanguageModel!.Value).ToList();
        Assert.True(lp[1] < lp[0] - 1, string.Join(", ", lp));          // "dog" after "the" is rare, "the" first is common
        Assert.Equal(lp.Average(), t.Words[0].Evidence!.UtteranceLanguageModel!.Value, 9);
        Assert.All(t.Words, w => Assert.Equal(3, w.Evidence!.UtteranceWords));
        Assert.All(t.Words, w => Assert.Equal(1, w.Evidence!.Agreement));
    }
}
