using DgTools.Decoding;
using Xunit;

namespace DgTools.Tests.Decoding;

public class CtcAlignmentTests
{
    [Fact]
    public void Collapse_merges_repeats_and_drops_blanks()
    {
        Assert.Equal([3, 3, 1], CtcAlignment.Collapse([0, 3, 3, 0, 3, 1, 1, 0]));
        Assert.Empty(CtcAlignment.Collapse([0, 0]));
    }

    [Fact]
    public void Forced_path_spells_exactly_the_sequence_even_against_the_best_path()
    {
        var units = SyntheticPosteriors.English;
        // The acoustics prefer "cot"; force "cat".
        var p = new SyntheticPosteriors().Say("c").Confuse("o", 0.6, "a", 0.3).Say("t").Build();
        var cat = units.Spell("cat")!;

        var path = CtcAlignment.ForcedPath(p, cat)!;

        Assert.Equal(cat, CtcAlignment.Collapse(path));
        Assert.Equal(units.Spell("cot")!, CtcAlignment.Collapse(CtcAlignment.BestPath(p)));
        Assert.Equal(2, Array.IndexOf(path, cat[1])); // 'a' lands on the confused frame
    }

    [Fact]
    public void Forced_path_handles_doubled_units_and_refuses_sequences_longer_than_the_audio()
    {
        var units = SyntheticPosteriors.English;
        var p = new SyntheticPosteriors().Say("all").Build(); // a _ l _ l _
        Assert.Equal(units.Spell("all")!, CtcAlignment.Collapse(CtcAlignment.ForcedPath(p, units.Spell("all")!)!));
        Assert.Null(CtcAlignment.ForcedPath(new SyntheticPosteriors().Frame(("l", 0.9)).Frame(("l", 0.9)).Build(), units.Spell("ll")!));
    }

    [Fact]
    public void Spells_words_with_multi_character_units_longest_first()
    {
        var units = new CtcUnits(["<b>", "|", "a", "b", "ab"]);
        Assert.Equal([4, 3], units.Spell("abb")!);
        Assert.Null(units.Spell("abc"));
        Assert.Equal(1, units.Separator);
        Assert.Throws<ArgumentException>(() => new CtcUnits(["<b>", "a", "b"]));
    }
}

public class KoreanUnitsTests
{
    [Fact]
    public void Korean_words_are_spelled_in_jamo_and_written_in_syllables()
    {
        var alphabet = DgTools.Text.Alphabet.For("ko");
        var units = CtcUnits.For(alphabet.Units, "ko");
        var spelled = units.Spell("한국")!;
        Assert.Equal(alphabet.Encode("한국"), spelled);

        var p = new SyntheticPosteriors(units);
        foreach (var id in spelled) p.Frame((units[id], 0.9)).Blank();
        var transcript = new CtcGreedyDecoder(units).Decode(p.Build());

        Assert.Equal("한국", transcript.Text);
    }
}
