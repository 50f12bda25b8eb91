// Inputs the fuzzers found (or that sit next to a finding), kept as regression tests. docs/reliability.md lists them.
using DgTools.Text;
using Xunit;

namespace DgTools.Tests.Reliability;

public class FuzzRegressionTests
{
    // Finding 1 (normaliser fuzz, seed 5): "\d" in the number patterns matched non-ASCII digits such as U+0661
    // ARABIC-INDIC DIGIT ONE, which long.Parse then refused (FormatException; IndexOutOfRange in Spanish).
    // Neighbours found by reading the same code: 16+ digit money amounts and ordinals overflowed long/int.
    [Theory]
    [InlineData("en", "2\u0661 dollars", "two dollars")]
    [InlineData("es", "2\u0661 euros", "dos euros")]
    [InlineData("nl", "2\u0661 euro", "twee euro")]
    [InlineData("en", "$12345678901234567890", "one two three four five six seven eight nine zero one two three four five six seven eight nine zero dollars")]
    [InlineData("en", "the 12345678901234567890th", "the one two three four five six seven eight nine zero one two three four five six seven eight nine zero")]
    [InlineData("es", "el 12345678901º", "el")]
    // Finding 2 (normaliser fuzz, seed 5): an apostrophe between two letters the language drops (Hangul in English)
    // survived alone, so normalising twice changed the text.
    [InlineData("en", "\uc548\ub155`\uc138\uacc4 abc", "abc")]
    // Finding 3 (normaliser, 60 s run): a dropped combining mark between conjoining jamo left them uncomposed,
    // so a second pass composed them.
    [InlineData("ko", "\u1100\u0301\u1171 abc", "\uadc0 abc")]
    // Finding 6 (normaliser, second 60 s run): "0ª" indexed the empty ordinal for zero and cut a character off it.
    [InlineData("es", "la 0ª vez", "la cero vez")]
    public void Fuzz_findings_are_spelled_or_dropped_never_thrown(string language, string raw, string expectedStart)
    {
        var normalizer = TextNormalizer.For(language);
        var text = normalizer.Normalize(raw, _ => { });
        Assert.StartsWith(expectedStart, text);
        normalizer.Alphabet.Encode(text);
        Assert.Equal(text, normalizer.Normalize(text, _ => { }));
    }

    // Finding 4 (settings reader, 60 s run): the TOML parser throws ArgumentOutOfRangeException on this input.
    [Fact]
    public void A_toml_parser_exception_is_a_config_error()
    {
        var e = Assert.Throws<ConfigError>(() => DgTools.Configuration.Settings.Parse("[\"li5\\", "dgtools.toml"));
        Assert.StartsWith("malformed dgtools.toml: ", e.Message);
    }

    // Finding 5 (.dg reader, 60 s run): a duplicated key in the header JSON surfaced lazily as ArgumentException.
    [Fact]
    public void A_duplicate_header_key_is_a_model_file_error()
    {
        var header = System.Text.Encoding.UTF8.GetBytes("{\"__metadata__\":{\"dgtools.format\":\"1\",\"dgtools.format\":\"1\"}}");
        var bytes = BitConverter.GetBytes((ulong)header.Length).Concat(header).ToArray();
        var e = Assert.Throws<DgTools.ModelFileError>(() => DgTools.Model.ModelFile.Parse(bytes, "dup.dg"));
        Assert.StartsWith("not a .dg model file: malformed header JSON", e.Message);
    }
}
