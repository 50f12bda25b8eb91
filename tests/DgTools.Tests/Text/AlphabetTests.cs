using DgTools.Text;
using Xunit;

namespace DgTools.Tests.Text;

public class AlphabetTests
{
    [Theory]
    [InlineData("en", 2 + 27)]
    [InlineData("es", 2 + 33)]
    [InlineData("nl", 2 + 45)]
    [InlineData("ko", 2 + 19 + 21 + 27 + 26)]
    public void Blank_is_unit_zero_and_space_unit_one(string language, int count)
    {
        var a = Alphabet.For(language);
        Assert.Equal(count, a.Count);
        Assert.Equal(Alphabet.BlankUnit, a.Units[Alphabet.BlankIndex]);
        Assert.Equal(" ", a.Units[Alphabet.SpaceIndex]);
        Assert.Equal(a.Count, a.Units.Distinct().Count());
    }

    [Theory]
    [InlineData("en", "don't stop me now")]
    [InlineData("es", "señor núñez pingüino")]
    [InlineData("nl", "één café tweeëntwintig auto's")]
    [InlineData("ko", "안녕하세요 세계 닭 값 tv를 봤다")]
    public void Decode_inverts_encode(string language, string text)
    {
        var a = Alphabet.For(language);
        Assert.Equal(text, a.Decode(a.Encode(text)));
    }

    [Fact]
    public void Korean_is_encoded_as_jamo()
    {
        var a = Alphabet.For("ko");
        var ids = a.Encode("닭");
        Assert.Equal(["\u1103", "\u1161", "\u11B0"], ids.Select(i => a.Units[i]));
    }

    [Fact]
    public void Every_hangul_syllable_round_trips()
    {
        var a = Alphabet.For("ko");
        var all = new string(Enumerable.Range(0xAC00, 11172).Select(i => (char)i).ToArray());
        Assert.Equal(all, a.Decode(a.Encode(all)));
    }

    [Fact]
    public void Decode_skips_blanks_and_collapses_spaces()
    {
        var a = Alphabet.For("en");
        var ids = new[] { 0, 1, 1 }.Concat(a.Encode("hi")).Concat([0, 1, 0, 1]).Concat(a.Encode("yo")).Concat([1]);
        Assert.Equal("hi yo", a.Decode(ids));
    }

    [Fact]
    public void Encode_rejects_text_that_was_not_normalised()
    {
        var e = Assert.Throws<ArgumentException>(() => Alphabet.For("en").Encode("Hello"));
        Assert.Contains("'H'", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Alphabet.For("en").Decode([999]));
    }
}
